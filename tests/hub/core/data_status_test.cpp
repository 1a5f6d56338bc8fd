// dataStatus: exactly the four shapes of the seed contract, computed from real datasets.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace bookbridge::hub::testing {
namespace {

class DataStatusTest : public HubFixture {
 protected:
  void SetUp() override {
    // fetchOnFirstLink off everywhere: datasets are queued one at a time by the test.
    nlohmann::json settings = nlohmann::json::array();
    for (const auto& info : model::all_data_types()) {
      settings.push_back({{"dataType", info.key}, {"fetchOnFirstLink", false}});
    }
    ASSERT_EQ(call("POST", "/profile/syncSettings", {{"settings", settings}}).status, 204u);
    company_ = create_company();
    credential_ = link(create_connection(company_));
  }

  nlohmann::json queue_and_claim(const std::string& type) {
    auto queued = call("POST", "/companies/" + company_ + "/data/queue/" + type);
    EXPECT_EQ(queued.status, 200u) << queued.body;
    EXPECT_EQ(queued.json["status"], "Queued");
    return claim_next(credential_);
  }

  nlohmann::json status_of(const std::string& type) {
    auto reply = call("GET", "/companies/" + company_ + "/dataStatus");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.json.size(), model::all_data_types().size());
    return reply.json[type];
  }

  std::string company_;
  std::string credential_;
};

TEST_F(DataStatusTest, NeverSyncedCarriesOnlyDataType) {
  EXPECT_EQ(status_of("suppliers"), nlohmann::json({{"dataType", "suppliers"}}));
}

TEST_F(DataStatusTest, FirstSyncFailed) {
  auto claimed = queue_and_claim("suppliers");
  ASSERT_EQ(fail_dataset(credential_, claimed, "FetchError", "book locked").status, 200u);
  auto s = status_of("suppliers");
  EXPECT_EQ(s, nlohmann::json({{"dataType", "suppliers"},
                               {"currentStatus", "FetchError"},
                               {"latestSyncId", claimed["id"]}}));
}

TEST_F(DataStatusTest, LastSyncFailedAfterASuccess) {
  auto ok = queue_and_claim("suppliers");
  ASSERT_EQ(run_to_complete(credential_, ok,
                            {R"({"id":"s1","supplierName":"Paper Co","status":"Active"})"})
                .status,
            200u);
  now_ += 60'000;
  auto bad = queue_and_claim("suppliers");
  ASSERT_EQ(fail_dataset(credential_, bad, "FetchError", "disk gone").status, 200u);
  auto s = status_of("suppliers");
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s["currentStatus"], "FetchError");
  EXPECT_EQ(s["latestSyncId"], bad["id"]);
  EXPECT_EQ(s["latestSuccessfulSyncId"], ok["id"]);
  EXPECT_EQ(s["lastSuccessfulSync"], "2026-01-01T00:00:00.000Z");
}

TEST_F(DataStatusTest, SyncSucceeded) {
  auto ok = queue_and_claim("suppliers");
  auto done = run_to_complete(credential_, ok, {R"({"id":"s1","status":"Active"})"});
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.json["status"], "Complete");
  EXPECT_EQ(done.json["isCompleted"], true);
  auto s = status_of("suppliers");
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s["currentStatus"], "Complete");
  EXPECT_EQ(s["latestSyncId"], ok["id"]);
  EXPECT_EQ(s["latestSuccessfulSyncId"], ok["id"]);
  // Key order as in the seed document.
  std::vector<std::string> keys;
  for (auto it = s.begin(); it != s.end(); ++it) {
    keys.push_back(it.key());
  }
  auto raw = call("GET", "/companies/" + company_ + "/dataStatus").body;
  EXPECT_NE(raw.find(R"("suppliers":{"dataType":"suppliers","lastSuccessfulSync":)"),
            std::string::npos);
}

TEST_F(DataStatusTest, InProgressSecondQueueIsRefused) {
  auto first = call("POST", "/companies/" + company_ + "/data/queue/invoices");
  ASSERT_EQ(first.status, 200u);
  auto second = call("POST", "/companies/" + company_ + "/data/queue/invoices");
  EXPECT_EQ(second.status, 400u);
  EXPECT_NE(second.json["error"].get<std::string>().find("DatasetAlreadyInProgressException"),
            std::string::npos);
  EXPECT_NE(second.json["error"].get<std::string>().find(first.json["id"].get<std::string>()),
            std::string::npos);
}

}  // namespace
}  // namespace bookbridge::hub::testing
