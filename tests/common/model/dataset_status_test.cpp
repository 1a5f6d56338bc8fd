#include "model/dataset_status.h"

#include <gtest/gtest.h>

#include <string>

namespace bookbridge::model {
namespace {

using S = DatasetStatus;

TEST(DatasetStatusTest, NamesRoundTripForAllTwentyOneStates) {
  int count = 0;
  for (auto status : all_dataset_statuses()) {
    auto name = to_string(status);
    EXPECT_EQ(dataset_status_from_string(name), status) << name;
    ++count;
  }
  EXPECT_EQ(count, 21);
  EXPECT_FALSE(dataset_status_from_string("complete").has_value());
}

TEST(DatasetStatusTest, Classification) {
  EXPECT_TRUE(is_terminal(S::complete));
  EXPECT_TRUE(is_terminal(S::not_supported));
  EXPECT_TRUE(is_terminal(S::cancelled));
  EXPECT_FALSE(is_error(S::not_supported));
  EXPECT_FALSE(is_error(S::cancelled));
  for (auto s :
       {S::fetch_error, S::map_error, S::internal_error, S::processing_error, S::validation_error,
        S::auth_error, S::rate_limit_error, S::permissions_error, S::prerequisite_not_met}) {
    EXPECT_TRUE(is_error(s)) << to_string(s);
    EXPECT_TRUE(is_terminal(s)) << to_string(s);
  }
  EXPECT_TRUE(is_in_progress(S::queued));
  EXPECT_TRUE(is_in_progress(S::processing));
  EXPECT_FALSE(is_in_progress(S::initial));
}

TEST(DatasetStatusTest, HappyPathIsLegalForTheRightActor) {
  EXPECT_TRUE(can_transition(S::queued, S::fetching, Actor::agent));
  EXPECT_TRUE(can_transition(S::fetching, S::mapping, Actor::agent));
  EXPECT_TRUE(can_transition(S::mapping, S::validating, Actor::agent));
  EXPECT_TRUE(can_transition(S::validating, S::processing, Actor::hub));
  EXPECT_TRUE(can_transition(S::processing, S::complete, Actor::hub));
  // The agent cannot commit or complete by itself.
  EXPECT_FALSE(can_transition(S::validating, S::processing, Actor::agent));
  EXPECT_FALSE(can_transition(S::processing, S::complete, Actor::agent));
  // The hub does not perform the agent's phases.
  EXPECT_FALSE(can_transition(S::queued, S::fetching, Actor::hub));
}

TEST(DatasetStatusTest, SkippingAndGoingBackAreIllegal) {
  EXPECT_FALSE(can_transition(S::queued, S::mapping, Actor::agent));
  EXPECT_FALSE(can_transition(S::queued, S::validating, Actor::agent));
  EXPECT_FALSE(can_transition(S::validating, S::fetching, Actor::agent));
  EXPECT_FALSE(can_transition(S::mapping, S::fetching, Actor::agent));
  EXPECT_FALSE(can_transition(S::queued, S::complete, Actor::hub));
  EXPECT_FALSE(can_transition(S::fetching, S::fetching, Actor::agent));
}

TEST(DatasetStatusTest, NothingLeavesATerminalState) {
  for (auto from : all_dataset_statuses()) {
    if (!is_terminal(from)) {
      continue;
    }
    for (auto to : all_dataset_statuses()) {
      EXPECT_FALSE(can_transition(from, to, Actor::agent))
          << to_string(from) << "->" << to_string(to);
      EXPECT_FALSE(can_transition(from, to, Actor::hub))
          << to_string(from) << "->" << to_string(to);
    }
  }
}

TEST(DatasetStatusTest, AgentFailuresFromItsOwnPhasesOnly) {
  for (auto from : {S::queued, S::fetching, S::mapping, S::validating}) {
    for (auto to : {S::fetch_error, S::map_error, S::validation_error, S::auth_error,
                    S::internal_error, S::not_supported}) {
      EXPECT_TRUE(can_transition(from, to, Actor::agent))
          << to_string(from) << "->" << to_string(to);
    }
  }
  // Once the hub processes a commit the agent can no longer fail it.
  EXPECT_FALSE(can_transition(S::processing, S::fetch_error, Actor::agent));
  EXPECT_FALSE(can_transition(S::processing, S::queued, Actor::agent));
}

TEST(DatasetStatusTest, LeaseExpiryAndReleaseReturnToQueued) {
  for (auto from : {S::fetching, S::mapping, S::validating}) {
    EXPECT_TRUE(can_transition(from, S::queued, Actor::hub)) << to_string(from);
    EXPECT_TRUE(can_transition(from, S::queued, Actor::agent)) << to_string(from);
    EXPECT_TRUE(can_transition(from, S::internal_error, Actor::hub)) << to_string(from);
  }
  EXPECT_TRUE(can_transition(S::queued, S::cancelled, Actor::hub));
}

TEST(DatasetStatusTest, ProgressGrowsAlongThePath) {
  EXPECT_LT(default_progress(S::queued), default_progress(S::fetching));
  EXPECT_LT(default_progress(S::fetching), default_progress(S::mapping));
  EXPECT_LT(default_progress(S::mapping), default_progress(S::validating));
  EXPECT_LT(default_progress(S::validating), default_progress(S::processing));
  EXPECT_EQ(default_progress(S::complete), 100);
}

}  // namespace
}  // namespace bookbridge::model
