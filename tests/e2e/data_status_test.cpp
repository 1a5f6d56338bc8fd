// The seed's contract, end to end: real book, real hub, real agent, over TLS on loopback.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "e2e_env.h"

namespace bookbridge::testing {
namespace {

using namespace std::chrono_literals;

class DataStatusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    books_ = new TempDir("bookbridge-e2e-books");
    make_book(*books_ / "good.gnucash", "sqlite", "small");
  }
  static void TearDownTestSuite() {
    delete books_;
    books_ = nullptr;
  }
  static std::filesystem::path good_book() { return *books_ / "good.gnucash"; }

  static TempDir* books_;
};
TempDir* DataStatusTest::books_ = nullptr;

nlohmann::json suppliers_status(HubApi& api, const std::string& company) {
  auto reply = api.get("/companies/" + company + "/dataStatus");
  EXPECT_EQ(reply.status, 200u) << reply.text;
  return reply.body["suppliers"];
}

std::string queue(HubApi& api, const std::string& company, const std::string& type) {
  auto reply = api.post("/companies/" + company + "/data/queue/" + type);
  EXPECT_EQ(reply.status, 200u) << reply.text;
  EXPECT_EQ(reply.body.value("status", ""), "Queued");
  return reply.body.value("id", "");
}

// Walks `suppliers` through all four shapes of the seed's dataStatus examples.
TEST_F(DataStatusTest, SuppliersGoThroughTheFourSeedShapes) {
  HubProcess hub;
  HubApi api(hub.url(), hub.api_key(), hub.ca_file());
  TempDir dir("bookbridge-e2e");
  auto book = dir / "books.gnucash";
  write_file(book, "this is not a GnuCash book\n");

  // 1. Never synced: only dataType.
  auto company = api.create_company("Shapes Ltd");
  EXPECT_EQ(suppliers_status(api, company), nlohmann::json({{"dataType", "suppliers"}}));

  // 2. First sync failed: the book is unreadable -> FetchError, latestSyncId, no success fields.
  auto connection = api.create_connection(company);
  AgentInstall agent(hub, {{"books", book}});
  auto linked = agent.link(connection["linkUrl"].get<std::string>(), "books");
  ASSERT_EQ(linked.exit_code, 0) << linked.output;
  agent.start();
  auto first = wait_all_terminal(api, company, 60s);
  ASSERT_FALSE(first.empty()) << agent.log();
  auto failed = latest_dataset(api, company, "suppliers");
  ASSERT_EQ(failed.value("status", ""), "FetchError") << failed.dump();
  EXPECT_NE(failed.value("errorMessage", "").find(book.filename().string()), std::string::npos)
      << "the error names the file: " << failed.dump();
  auto shape = suppliers_status(api, company);
  EXPECT_EQ(shape, nlohmann::json({{"dataType", "suppliers"},
                                   {"currentStatus", "FetchError"},
                                   {"latestSyncId", failed["id"]}}));

  // 3. Success: the book is back; ids equal.
  std::filesystem::copy_file(good_book(), book, std::filesystem::copy_options::overwrite_existing);
  auto ok_id = queue(api, company, "suppliers");
  auto ok = wait_dataset(api, company, ok_id, "Complete", 60s);
  ASSERT_EQ(ok.value("status", ""), "Complete") << ok.dump() << agent.log();
  shape = suppliers_status(api, company);
  EXPECT_EQ(shape["currentStatus"], "Complete");
  EXPECT_EQ(shape["latestSyncId"], ok_id);
  EXPECT_EQ(shape["latestSuccessfulSyncId"], ok_id);
  ASSERT_TRUE(shape.contains("lastSuccessfulSync")) << shape.dump();
  auto last_success = shape["lastSuccessfulSync"];

  // 4. Failed after an earlier success: all fields, ids differ.
  write_file(book, "truncated");
  auto bad_id = queue(api, company, "suppliers");
  auto bad = wait_dataset(api, company, bad_id, "FetchError", 60s);
  ASSERT_EQ(bad.value("status", ""), "FetchError") << bad.dump();
  shape = suppliers_status(api, company);
  EXPECT_EQ(shape, nlohmann::json({{"dataType", "suppliers"},
                                   {"currentStatus", "FetchError"},
                                   {"latestSyncId", bad_id},
                                   {"latestSuccessfulSyncId", ok_id},
                                   {"lastSuccessfulSync", last_success}}));
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

TEST_F(DataStatusTest, QueuedWhileOfflineMovesOnWhenTheAgentComesOnline) {
  HubProcess hub;
  HubApi api(hub.url(), hub.api_key(), hub.ca_file());
  auto company = api.create_company("Offline Ltd");
  auto connection = api.create_connection(company);
  AgentInstall agent(hub, {{"books", good_book()}});
  auto linked = agent.link(connection["linkUrl"].get<std::string>(), "books");
  ASSERT_EQ(linked.exit_code, 0) << linked.output;

  // First link queued every fetchOnFirstLink type (all 14 by default), and with no agent running
  // they wait, saying so.
  auto history = api.get("/companies/" + company + "/data/history?pageSize=100");
  ASSERT_EQ(history.status, 200u);
  std::set<std::string> types;
  for (const auto& dataset : history.body["results"]) {
    types.insert(dataset["dataType"].get<std::string>());
    EXPECT_EQ(dataset["status"], "Queued");
    auto description = dataset.value("statusDescription", "");
    EXPECT_NE(description.find("online"), std::string::npos) << dataset.dump();
  }
  EXPECT_EQ(types.size(), 14u);
  EXPECT_EQ(history.body["totalResults"], 14);

  // The agent comes online: everything moves on without anyone queueing again.
  agent.start();
  auto done = wait_all_terminal(api, company, 120s);
  ASSERT_EQ(done.size(), 14u) << agent.log();
  for (const auto& dataset : done) {
    auto type = dataset["dataType"].get<std::string>();
    auto status = dataset["status"].get<std::string>();
    if (type == "items") {
      EXPECT_EQ(status, "NotSupported") << "GnuCash has no items";
    } else {
      EXPECT_EQ(status, "Complete") << dataset.dump();
      EXPECT_TRUE(dataset["isCompleted"].get<bool>());
      EXPECT_EQ(dataset["progress"], 100);
    }
    EXPECT_FALSE(dataset["isErrored"].get<bool>()) << dataset.dump();
  }
  auto connection_now =
      api.get("/companies/" + company + "/connections/" + connection["id"].get<std::string>());
  EXPECT_EQ(connection_now.body["status"], "Linked");
  EXPECT_EQ(connection_now.body["connectionInfo"]["online"], true) << connection_now.text;
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

}  // namespace
}  // namespace bookbridge::testing
