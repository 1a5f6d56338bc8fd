// kill -9 the agent in the middle of a large upload: after a restart the dataset ends Complete and
// the hub holds exactly the book's records, none lost, none duplicated.

#include <gtest/gtest.h>

#include <set>

#include "e2e_env.h"

namespace bookbridge::testing {
namespace {

using namespace std::chrono_literals;

TEST(CrashTest, AgentKilledMidUploadResumesToExactlyTheBooksRecords) {
  TempDir books("bookbridge-e2e-crash");
  auto book = books / "large.gnucash";
  make_book(book, "sqlite", "small", 20000);
  auto figures = expected_figures(book);
  const auto expected_transactions = figures["counts"]["transactions"].get<std::size_t>();
  ASSERT_GT(expected_transactions, 20000u);

  HubProcess hub;
  HubApi api(hub.url(), hub.api_key(), hub.ca_file());
  // Only journal entries: keep the test about one large dataset.
  auto settings = api.post("/profile/syncSettings",
                           {{"clientId", "bookbridge"},
                            {"overridesDefaults", true},
                            {"settings", nlohmann::json::array({{{"dataType", "journalEntries"},
                                                                 {"fetchOnFirstLink", true},
                                                                 {"syncSchedule", 24},
                                                                 {"syncOrder", 0}}})}});
  ASSERT_LT(settings.status - 200u, 100u) << settings.text;
  auto company = api.create_company("Crash Ltd");
  auto connection = api.create_connection(company);
  AgentInstall agent(hub, {{"books", book}});
  ASSERT_EQ(agent.link(connection["linkUrl"].get<std::string>(), "books").exit_code, 0);
  auto queued = latest_dataset(api, company, "journalEntries");
  ASSERT_TRUE(queued.is_object()) << "first link queues journalEntries";
  auto id = queued["id"].get<std::string>();

  agent.start();
  // Kill it while it is uploading (Validating is the state during upload), or as late as we can
  // catch it.
  auto seen = wait_dataset(api, company, id, "Validating", 120s);
  ASSERT_NE(seen.value("status", ""), "") << seen.dump();
  agent.kill9();
  auto after_kill = api.dataset(company, id);
  EXPECT_NE(after_kill["status"], "Complete")
      << "the kill should land before the commit; the book may be too small";

  agent.start();
  auto done = wait_dataset(api, company, id, "Complete", 180s);
  ASSERT_EQ(done.value("status", ""), "Complete") << done.dump() << agent.log();

  auto records = fetch_all(api, company, "data/journalEntries");
  EXPECT_EQ(records.size(), expected_transactions);
  std::set<std::string> ids;
  for (const auto& record : records) {
    ids.insert(record["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), records.size()) << "no duplicates";
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

}  // namespace
}  // namespace bookbridge::testing
