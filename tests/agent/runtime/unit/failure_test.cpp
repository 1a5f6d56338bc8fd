#include "pipeline/failure.h"

#include <gtest/gtest.h>

namespace bookbridge::agent::pipeline {
namespace {

using model::DatasetStatus;
using readers::ReadErrc;

TEST(FailureTest, EveryReadErrorMapsToItsState) {
  const std::pair<ReadErrc, DatasetStatus> cases[] = {
      {ReadErrc::source_unavailable, DatasetStatus::fetch_error},
      {ReadErrc::source_locked, DatasetStatus::fetch_error},
      {ReadErrc::source_corrupt, DatasetStatus::fetch_error},
      {ReadErrc::auth_rejected, DatasetStatus::auth_error},
      {ReadErrc::not_supported, DatasetStatus::not_supported},
      {ReadErrc::map_failed, DatasetStatus::map_error},
      {ReadErrc::sink_failed, DatasetStatus::internal_error},
      {ReadErrc::internal, DatasetStatus::internal_error},
  };
  for (const auto& [code, status] : cases) {
    const auto decision = decide_failure({code, "what happened", ""});
    EXPECT_TRUE(decision.fail) << readers::to_string(code);
    EXPECT_EQ(decision.status, status) << readers::to_string(code);
    EXPECT_EQ(decision.message, "what happened");
  }
}

TEST(FailureTest, CancelledReadsAreReleasedNotFailed) {
  const auto decision = decide_failure({ReadErrc::cancelled, "stopped", ""});
  EXPECT_FALSE(decision.fail);
}

TEST(FailureTest, MapErrorNamesTheRecord) {
  auto decision = decide_failure({ReadErrc::map_failed, "amount is not a number", "inv-42"});
  EXPECT_EQ(decision.message, "record inv-42: amount is not a number");
  decision = decide_failure({ReadErrc::map_failed, "invoice inv-42: bad amount", "inv-42"});
  EXPECT_EQ(decision.message, "invoice inv-42: bad amount");
}

TEST(FailureTest, EmptyMessagesGetAnExplanation) {
  EXPECT_FALSE(decide_failure({ReadErrc::internal, "", ""}).message.empty());
}

}  // namespace
}  // namespace bookbridge::agent::pipeline
