// The dataset state machine through the store: every transition the agent may ask for is
// applied exactly when model::can_transition allows it; everything else is refused with 409 and
// leaves the row untouched.
#include <gtest/gtest.h>

#include "core/datasets.h"
#include "hub_fixture.h"
#include "store/repositories.h"

namespace bookbridge::hub::testing {
namespace {

using model::DatasetStatus;

class StateMachineTest : public HubFixture {
 protected:
  void SetUp() override {
    company_ = create_company();
    connection_ = create_connection(company_);
    credential_ = link(connection_);
    conn_row_ = *store::find_connection(*db_->acquire(), connection_["id"].get<std::string>());
  }

  // A claimed dataset of `type` forced into `status` (lease current).
  store::DatasetRow dataset_in(DatasetStatus status, const std::string& type = "invoices") {
    auto db = db_->acquire();
    auto rows = store::list_datasets(*db, company_);
    std::string id;
    for (const auto& r : rows) {
      if (std::string(model::to_key(r.data_type)) == type) {
        id = r.id;
      }
    }
    EXPECT_FALSE(id.empty());
    auto row = *store::find_dataset(*db, id);
    row.status = status;
    row.lease_id = "lease-1";
    row.lease_expires = now_ + 60'000;
    row.completed.reset();
    row.error_message.reset();
    store::update_dataset(*db, row);
    return row;
  }

  static bool same(const store::DatasetRow& a, const store::DatasetRow& b) {
    return a.status == b.status && a.progress == b.progress && a.completed == b.completed &&
           a.lease_id == b.lease_id && a.lease_expires == b.lease_expires &&
           a.error_message == b.error_message && a.status_description == b.status_description &&
           a.expired_leases == b.expired_leases;
  }

  store::DatasetRow reload(const std::string& id) {
    return *store::find_dataset(*db_->acquire(), id);
  }

  std::string company_;
  nlohmann::json connection_;
  std::string credential_;
  store::ConnectionRow conn_row_;
};

bool is_phase(DatasetStatus s) {
  return s == DatasetStatus::fetching || s == DatasetStatus::map_queued ||
         s == DatasetStatus::mapping || s == DatasetStatus::validation_queued ||
         s == DatasetStatus::validating;
}

TEST_F(StateMachineTest, FirstLinkQueuesEveryFetchOnFirstLinkType) {
  auto db = db_->acquire();
  auto rows = store::list_datasets(*db, company_);
  ASSERT_EQ(rows.size(), model::all_data_types().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].data_type, model::all_data_types()[i].type);  // syncOrder
    EXPECT_EQ(rows[i].status, DatasetStatus::queued);
  }
}

TEST_F(StateMachineTest, EveryAgentTransitionIsAppliedExactlyWhenLegal) {
  int applied = 0;
  int refused = 0;
  for (auto from : model::all_dataset_statuses()) {
    for (auto to : model::all_dataset_statuses()) {
      if (from == to) {
        continue;
      }
      SCOPED_TRACE(std::string(model::to_string(from)) + " -> " +
                   std::string(model::to_string(to)));
      const auto before = dataset_in(from);
      Result<store::DatasetRow> result = store::DatasetRow{};
      if (model::is_error(to) || to == DatasetStatus::not_supported) {
        result = core::fail(*hub_, conn_row_, before.id, "lease-1", model::to_string(to), "boom",
                            std::nullopt);
      } else if (to == DatasetStatus::queued) {
        result = core::release(*hub_, conn_row_, before.id, "lease-1");
      } else {
        result = core::agent_status(*hub_, conn_row_, before.id, "lease-1", model::to_string(to),
                                    std::nullopt, std::nullopt);
      }
      const bool legal = model::can_transition(from, to, model::Actor::agent) &&
                         (is_phase(to) || model::is_error(to) ||
                          to == DatasetStatus::not_supported || to == DatasetStatus::queued);
      const auto after = reload(before.id);
      if (legal) {
        ASSERT_TRUE(result) << result.error().message;
        EXPECT_EQ(after.status, to);
        EXPECT_EQ(after.progress, to == DatasetStatus::queued ? 0 : model::default_progress(to));
        EXPECT_EQ(after.completed.has_value(), model::is_terminal(to));
        ++applied;
      } else {
        ASSERT_FALSE(result);
        EXPECT_TRUE(result.error().status == 409 || result.error().status == 400)
            << result.error().status;
        if (model::can_transition(from, to, model::Actor::agent) == false &&
            (is_phase(to) || model::is_error(to) || to == DatasetStatus::not_supported)) {
          EXPECT_EQ(result.error().status, 409u);
          EXPECT_EQ(result.error().code(), error_code::kIllegalTransition);
        }
        EXPECT_TRUE(same(before, after)) << "refused transition changed the row";
        ++refused;
      }
    }
  }
  EXPECT_GT(applied, 50);
  EXPECT_GT(refused, 200);
}

TEST_F(StateMachineTest, EveryHubTransitionFollowsCanTransition) {
  for (auto from : model::all_dataset_statuses()) {
    for (auto to : model::all_dataset_statuses()) {
      store::DatasetRow row;
      row.id = "x";
      row.status = from;
      row.progress = 42;
      auto result = core::transition(row, to, model::Actor::hub, now_);
      const bool legal = model::can_transition(from, to, model::Actor::hub);
      EXPECT_EQ(static_cast<bool>(result), legal);
      EXPECT_EQ(row.status, legal ? to : from);
      if (!legal) {
        EXPECT_EQ(row.progress, 42);
        EXPECT_EQ(result.error().status, 409u);
      }
    }
  }
}

TEST_F(StateMachineTest, FlagsFollowTheState) {
  for (auto status : model::all_dataset_statuses()) {
    auto row = dataset_in(status);
    auto reply = call("GET", "/companies/" + company_ + "/data/history/" + row.id);
    ASSERT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.json["status"], model::to_string(status));
    EXPECT_EQ(reply.json["isCompleted"], status == DatasetStatus::complete);
    EXPECT_EQ(reply.json["isErrored"], model::is_error(status));
  }
}

TEST_F(StateMachineTest, AgentPhasesThroughTheGateway) {
  auto claim = agent_call(credential_, "POST", "/agent/v1/datasets/claim",
                          {{"max", 1}, {"leaseSeconds", 60}});
  ASSERT_EQ(claim.status, 200u) << claim.body;
  ASSERT_EQ(claim.json["datasets"].size(), 1u);
  const auto d = claim.json["datasets"][0];
  EXPECT_EQ(d["dataType"], "company");
  EXPECT_EQ(d["attempt"], 1);
  const std::string base = "/agent/v1/datasets/" + d["id"].get<std::string>();
  const std::string lease = d["leaseId"];
  // Skipping a phase is refused and changes nothing.
  auto skip = agent_call(credential_, "POST", base + "/status",
                         {{"leaseId", lease}, {"status", "Validating"}});
  EXPECT_EQ(skip.status, 409u);
  EXPECT_EQ(skip.json["detailedErrorCode"], error_code::kIllegalTransition);
  EXPECT_EQ(skip.json["service"], "AgentGateway");
  for (const char* phase : {"Fetching", "Mapping", "Validating"}) {
    auto r =
        agent_call(credential_, "POST", base + "/status", {{"leaseId", lease}, {"status", phase}});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json["status"], phase);
  }
  auto progress = agent_call(credential_, "POST", base + "/status",
                             {{"leaseId", lease}, {"status", "Validating"}, {"progress", 77}});
  EXPECT_EQ(progress.json["progress"], 77);
  auto wrong_lease = agent_call(credential_, "POST", base + "/status",
                                {{"leaseId", "nope"}, {"status", "Validating"}});
  EXPECT_EQ(wrong_lease.status, 409u);
  EXPECT_EQ(wrong_lease.json["detailedErrorCode"], error_code::kLeaseLost);
}

TEST_F(StateMachineTest, LeaseExpiryRequeuesThenFailsAfterFiveAttempts) {
  const auto first =
      agent_call(credential_, "POST", "/agent/v1/datasets/claim", {{"leaseSeconds", 5}})
          .json["datasets"][0];
  const std::string id = first["id"];
  for (int attempt = 1; attempt <= 5; ++attempt) {
    if (attempt > 1) {
      auto again =
          agent_call(credential_, "POST", "/agent/v1/datasets/claim", {{"leaseSeconds", 5}});
      ASSERT_EQ(again.json["datasets"].size(), 1u);
      EXPECT_EQ(again.json["datasets"][0]["id"], id);
      EXPECT_EQ(again.json["datasets"][0]["attempt"], attempt);
      auto lease = again.json["datasets"][0]["leaseId"].get<std::string>();
      agent_call(credential_, "POST", "/agent/v1/datasets/" + id + "/status",
                 {{"leaseId", lease}, {"status", "Fetching"}});
    }
    now_ += 6'000;
    EXPECT_EQ(core::sweep_expired_leases(*hub_), 1);
    const auto row = reload(id);
    if (attempt < 5) {
      EXPECT_EQ(row.status, DatasetStatus::queued);
      EXPECT_FALSE(row.lease_id.has_value());
    } else {
      EXPECT_EQ(row.status, DatasetStatus::internal_error);
      ASSERT_TRUE(row.error_message.has_value());
      EXPECT_NE(row.error_message->find("lost its lease 5 times"), std::string::npos);
    }
  }
}

TEST_F(StateMachineTest, AuthErrorDeauthorizesUntilRelinked) {
  auto claim = agent_call(credential_, "POST", "/agent/v1/datasets/claim", {});
  const auto d = claim.json["datasets"][0];
  auto fail = agent_call(
      credential_, "POST", "/agent/v1/datasets/" + d["id"].get<std::string>() + "/fail",
      {{"leaseId", d["leaseId"]}, {"status", "AuthError"}, {"errorMessage", "password changed"}});
  ASSERT_EQ(fail.status, 200u) << fail.body;
  EXPECT_EQ(fail.json["isErrored"], true);
  const std::string conn_path =
      "/companies/" + company_ + "/connections/" + connection_["id"].get<std::string>();
  auto conn = call("GET", conn_path);
  EXPECT_EQ(conn.json["status"], "Deauthorized");
  EXPECT_NE(conn.json["linkUrl"], connection_["linkUrl"]);  // a fresh link token
  // Queued datasets wait and say why; nothing is claimable.
  auto queued = call("GET", "/companies/" + company_ + "/data/history?query=status%3DQueued");
  ASSERT_GT(queued.json["results"].size(), 0u);
  EXPECT_NE(queued.json["results"][0]["statusDescription"].get<std::string>().find("re-linked"),
            std::string::npos);
  EXPECT_EQ(agent_call(credential_, "POST", "/agent/v1/datasets/claim", {}).json["datasets"].size(),
            0u);
  // The old link URL is spent; the fresh one links, and work proceeds.
  auto relink = link(conn.json);
  ASSERT_FALSE(relink.empty());
  EXPECT_EQ(call("GET", conn_path).json["status"], "Linked");
  EXPECT_EQ(agent_call(credential_, "POST", "/agent/v1/datasets/claim", {}).status, 401u);
  EXPECT_EQ(agent_call(relink, "POST", "/agent/v1/datasets/claim", {}).json["datasets"].size(), 1u);
}

}  // namespace
}  // namespace bookbridge::hub::testing
