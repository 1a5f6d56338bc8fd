#include "runtime/hub_api.h"

#include <gtest/gtest.h>

namespace bookbridge::agent::runtime {
namespace {

std::string error_body(int status, int code, const std::string& text) {
  return nlohmann::json{{"statusCode", status},
                        {"service", "AgentGateway"},
                        {"error", text},
                        {"detailedErrorCode", code}}
      .dump();
}

TEST(ClassifyTest, SuccessParsesTheBody) {
  auto result = classify(200, R"({"datasets":[]})");
  EXPECT_EQ(result.outcome, Outcome::ok);
  EXPECT_TRUE(result.body["datasets"].is_array());
  EXPECT_EQ(classify(204, "").outcome, Outcome::ok);
}

TEST(ClassifyTest, RetryableAnswers) {
  for (unsigned status : {408u, 429u, 500u, 502u, 503u, 504u}) {
    EXPECT_EQ(classify(status, "").outcome, Outcome::retry) << status;
  }
}

TEST(ClassifyTest, PermanentAnswersKeepTheHubsReason) {
  for (unsigned status : {400u, 403u, 404u, 405u, 413u}) {
    EXPECT_EQ(classify(status, "").outcome, Outcome::permanent) << status;
  }
  auto result = classify(409, error_body(409, 4092, "illegal transition Mapping -> Fetching"));
  EXPECT_EQ(result.outcome, Outcome::permanent);
  EXPECT_EQ(result.detailed_error_code, kIllegalTransition);
  EXPECT_EQ(result.message, "illegal transition Mapping -> Fetching");
}

TEST(ClassifyTest, LeaseLostAndRevokedCredentialHaveTheirOwnOutcome) {
  EXPECT_EQ(classify(409, error_body(409, 4091, "lease lost")).outcome, Outcome::lease_lost);
  EXPECT_EQ(classify(409, error_body(409, 4093, "page conflict")).outcome, Outcome::permanent);
  EXPECT_EQ(classify(401, "").outcome, Outcome::unauthorized);
}

TEST(ClassifyTest, HostileBodiesNeverThrow) {
  for (const char* body :
       {"not json", "[1,2]", R"({"detailedErrorCode":"4091"})", R"({"error":42})", "\xff\xfe"}) {
    auto result = classify(409, body);
    EXPECT_EQ(result.outcome, Outcome::permanent) << body;
    EXPECT_FALSE(result.message.empty());
  }
}

}  // namespace
}  // namespace bookbridge::agent::runtime
