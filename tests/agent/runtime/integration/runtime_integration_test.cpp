// The agent runtime against the real hub over TLS, with real GnuCash books and the real agent
// binary: link, offline-then-online, WebSocket and long-poll, hub restart and agent crash in
// the middle of an upload, lease expiry, error states, two sources at once, clean shutdown.

#include <gtest/gtest.h>

#include "runtime_env.h"

namespace bookbridge::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kTimeout = 60s;

// Validation and the page upload both happen in Validating. Progress is reported at most every
// 2 s, so in a fast build the upload can finish before a high progress figure is ever seen: the
// state alone marks a dataset that is mid-way and not yet committed.
bool uploading(const nlohmann::json& dataset) {
  return dataset.value("status", "") == "Validating";
}

class RuntimeIntegrationTest : public ::testing::Test {
 protected:
  HubProcess hub_;
  HubApi api_{hub_.url(), hub_.api_key(), hub_.ca_file()};
  TempDir books_{"bookbridge-runtime-test"};
};

TEST_F(RuntimeIntegrationTest, QueuedWhileOfflineThenTwoSourcesCompleteOverWebSocket) {
  Books::copy(Books::small(), books_ / "acme.gnucash");
  Books::copy(Books::small(), books_ / "globex.gnucash");
  auto acme = make_company(api_, "Acme");
  auto globex = make_company(api_, "Globex");
  // Queued before any agent exists: it waits, and says why.
  auto queued = api_.post("/companies/" + acme.id + "/data/queue/invoices");
  ASSERT_EQ(queued.status, 200u) << queued.text;
  EXPECT_EQ(queued.body.value("status", ""), "Queued");
  EXPECT_FALSE(queued.body.value("statusDescription", nlohmann::json()).is_null());

  Agent agent(hub_, {{"acme", books_ / "acme.gnucash"}, {"globex", books_ / "globex.gnucash"}});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  ASSERT_EQ(agent.link(globex.link_url, "globex").exit_code, 0);
  EXPECT_EQ(api_.dataset(acme.id, queued.body.value("id", "")).value("status", ""), "Queued");

  agent.start();
  for (const auto& company : {acme, globex}) {
    auto statuses = wait_all_terminal(api_, company.id, kTimeout);
    ASSERT_FALSE(statuses.empty());
    for (const auto& [type, status] : statuses) {
      EXPECT_EQ(status, type == "items" ? "NotSupported" : "Complete") << type;
    }
    auto connection =
        api_.get("/companies/" + company.id + "/connections/" + company.connection_id);
    EXPECT_TRUE(connection.body["connectionInfo"].value("online", false));
  }
  // Exactly the source's records, as the agent reads them locally.
  for (const auto& [type, path] :
       {std::pair{"chartOfAccounts", "accounts"}, std::pair{"journalEntries", "journalEntries"},
        std::pair{"invoices", "invoices"}}) {
    EXPECT_EQ(ids_of(fetch_all(api_, acme.id, path)), local_ids(agent, "acme", type)) << type;
  }
  auto status = nlohmann::json::parse(agent.cli({"status", "--json"}).output, nullptr, false);
  ASSERT_TRUE(status.is_object());
  for (const auto& source : status["sources"]) {
    EXPECT_TRUE(source.value("linked", false));
    EXPECT_TRUE(source.value("online", false));
    EXPECT_EQ(source.value("transport", ""), "websocket");
    EXPECT_TRUE(source["datasets"].empty());
  }
  std::chrono::milliseconds elapsed{};
  EXPECT_EQ(agent.stop(&elapsed), 0);
  EXPECT_LT(elapsed, 10s);
}

TEST_F(RuntimeIntegrationTest, LongPollTransportCompletesAndCountsAsOnline) {
  Books::copy(Books::small(), books_ / "acme.gnucash");
  auto acme = make_company(api_, "Acme");
  Agent agent(hub_, {{"acme", books_ / "acme.gnucash"}}, AgentOptions{.transport = "poll"});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  agent.start();
  auto statuses = wait_all_terminal(api_, acme.id, kTimeout);
  EXPECT_EQ(statuses["invoices"], "Complete");
  auto connection = api_.get("/companies/" + acme.id + "/connections/" + acme.connection_id);
  EXPECT_TRUE(connection.body["connectionInfo"].value("online", false));

  // A dataset queued while the agent parks in its long-poll is taken at once.
  auto requeued = api_.post("/companies/" + acme.id + "/data/queue/invoices");
  ASSERT_EQ(requeued.status, 200u) << requeued.text;
  const auto id = requeued.body.value("id", "");
  EXPECT_TRUE(poll_until(
      [&] { return api_.dataset(acme.id, id).value("status", "") == "Complete"; }, kTimeout));
  auto status = nlohmann::json::parse(agent.cli({"status", "--json"}).output, nullptr, false);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["sources"][0].value("transport", ""), "poll");
  EXPECT_EQ(agent.stop(), 0);
}

TEST_F(RuntimeIntegrationTest, HubRestartedMidUploadStillCompletesExactly) {
  Books::copy(Books::big(), books_ / "big.gnucash");
  auto acme = make_company(api_, "Acme");
  Agent agent(hub_, {{"acme", books_ / "big.gnucash"}}, AgentOptions{.page_records = 3});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  agent.start();
  ASSERT_TRUE(wait_for_dataset(api_, acme.id, "journalEntries", uploading, kTimeout))
      << agent.log();
  hub_.kill9();
  hub_.restart();
  ASSERT_TRUE(wait_for_dataset(
      api_, acme.id, "journalEntries",
      [](const nlohmann::json& d) { return is_terminal_status(d.value("status", "")); }, kTimeout));
  EXPECT_EQ(find_dataset(api_, acme.id, "journalEntries").value("status", ""), "Complete");
  const auto records = fetch_all(api_, acme.id, "journalEntries");
  EXPECT_EQ(records.size(), 3007u);
  EXPECT_EQ(ids_of(records), local_ids(agent, "acme", "journalEntries"));
  EXPECT_EQ(agent.stop(), 0);
}

TEST_F(RuntimeIntegrationTest, AgentKilledMidUploadResumesAfterRestart) {
  Books::copy(Books::big(), books_ / "big.gnucash");
  auto acme = make_company(api_, "Acme");
  Agent agent(hub_, {{"acme", books_ / "big.gnucash"}}, AgentOptions{.page_records = 3});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  agent.start();
  ASSERT_TRUE(wait_for_dataset(api_, acme.id, "journalEntries", uploading, kTimeout));
  agent.kill9();
  agent.start();
  auto statuses = wait_all_terminal(api_, acme.id, kTimeout);
  EXPECT_EQ(statuses["journalEntries"], "Complete");
  const auto records = fetch_all(api_, acme.id, "journalEntries");
  EXPECT_EQ(records.size(), 3007u);
  EXPECT_EQ(ids_of(records), local_ids(agent, "acme", "journalEntries"));
  EXPECT_NE(agent.log().find("resuming"), std::string::npos);
  EXPECT_EQ(agent.stop(), 0);
}

TEST_F(RuntimeIntegrationTest, LeaseExpiresWhileAgentIsDownThenAnotherRunCompletes) {
  Books::copy(Books::big(), books_ / "big.gnucash");
  auto acme = make_company(api_, "Acme");
  Agent agent(hub_, {{"acme", books_ / "big.gnucash"}},
              AgentOptions{.lease_seconds = 15, .page_records = 3});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  agent.start();
  ASSERT_TRUE(wait_for_dataset(api_, acme.id, "journalEntries", uploading, kTimeout));
  agent.kill9();
  // The hub hands the dataset out again once the lease has run out.
  ASSERT_TRUE(wait_for_dataset(
      api_, acme.id, "journalEntries",
      [](const nlohmann::json& d) { return d.value("status", "") == "Queued"; }, 40s));
  agent.start();
  ASSERT_TRUE(wait_for_dataset(
      api_, acme.id, "journalEntries",
      [](const nlohmann::json& d) { return is_terminal_status(d.value("status", "")); }, kTimeout));
  EXPECT_EQ(find_dataset(api_, acme.id, "journalEntries").value("status", ""), "Complete");
  EXPECT_EQ(fetch_all(api_, acme.id, "journalEntries").size(), 3007u);
  EXPECT_EQ(agent.stop(), 0);
}

TEST_F(RuntimeIntegrationTest, MissingAndCorruptBooksFailWithFetchErrorWhileOthersGoOn) {
  Books::copy(Books::small(), books_ / "gone.gnucash");
  Books::copy(Books::small(), books_ / "corrupt.gnucash");
  Books::copy(Books::small(), books_ / "good.gnucash");
  auto gone = make_company(api_, "Gone");
  auto corrupt = make_company(api_, "Corrupt");
  auto good = make_company(api_, "Good");
  Agent agent(hub_, {{"gone", books_ / "gone.gnucash"},
                     {"corrupt", books_ / "corrupt.gnucash"},
                     {"good", books_ / "good.gnucash"}});
  // Started before anything is linked: unlinked sources wait, and pick up their link.
  agent.start();
  std::filesystem::remove(books_ / "gone.gnucash");
  write_file(books_ / "corrupt.gnucash", std::string(8192, '\x5a'));
  ASSERT_EQ(agent.link(gone.link_url, "gone").exit_code, 0);
  ASSERT_EQ(agent.link(corrupt.link_url, "corrupt").exit_code, 0);
  ASSERT_EQ(agent.link(good.link_url, "good").exit_code, 0);

  for (const auto* company : {&gone, &corrupt}) {
    auto statuses = wait_all_terminal(api_, company->id, kTimeout);
    ASSERT_FALSE(statuses.empty());
    for (const auto& [type, status] : statuses) {
      EXPECT_EQ(status, type == "items" ? "NotSupported" : "FetchError") << type;
    }
    auto dataset = find_dataset(api_, company->id, "invoices");
    EXPECT_FALSE(dataset.value("errorMessage", "").empty());
  }
  auto statuses = wait_all_terminal(api_, good.id, kTimeout);
  EXPECT_EQ(statuses["invoices"], "Complete");
  EXPECT_EQ(statuses["items"], "NotSupported");
  EXPECT_TRUE(agent.running());
  EXPECT_EQ(agent.stop(), 0);
}

TEST_F(RuntimeIntegrationTest, ShutdownMidUploadExitsCleanlyAndReleases) {
  Books::copy(Books::big(), books_ / "big.gnucash");
  auto acme = make_company(api_, "Acme");
  Agent agent(hub_, {{"acme", books_ / "big.gnucash"}}, AgentOptions{.page_records = 1});
  ASSERT_EQ(agent.link(acme.link_url, "acme").exit_code, 0);
  agent.start();
  ASSERT_TRUE(wait_for_dataset(api_, acme.id, "journalEntries", uploading, kTimeout));
  std::chrono::milliseconds elapsed{};
  EXPECT_EQ(agent.stop(&elapsed), 0);
  EXPECT_LT(elapsed, 10s);
  // Finished within the grace period, or handed back to the hub: never left leased.
  const auto status = find_dataset(api_, acme.id, "journalEntries").value("status", "");
  EXPECT_TRUE(status == "Complete" || status == "Queued") << status;
  agent.start();
  ASSERT_TRUE(wait_for_dataset(
      api_, acme.id, "journalEntries",
      [](const nlohmann::json& d) { return d.value("status", "") == "Complete"; }, kTimeout));
  EXPECT_EQ(fetch_all(api_, acme.id, "journalEntries").size(), 3007u);
  EXPECT_EQ(agent.stop(), 0);
}

}  // namespace
}  // namespace bookbridge::testing
