// AuthError end to end: the linked book is swapped for another company's book, so the agent
// refuses it (AuthError), the hub deauthorizes the connection, new datasets wait, and a re-link
// through the fresh linkUrl lets them complete.

#include <gtest/gtest.h>

#include "e2e_env.h"

namespace bookbridge::testing {
namespace {

using namespace std::chrono_literals;

TEST(AuthErrorTest, SwappedBookDeauthorizesUntilRelinked) {
  TempDir dir("bookbridge-e2e-auth");
  auto book = dir / "books.gnucash";
  auto other = dir / "other.gnucash";
  make_book(book, "sqlite", "small");
  make_book(other, "xml", "small");

  HubProcess hub;
  HubApi api(hub.url(), hub.api_key(), hub.ca_file());
  auto company = api.create_company("Auth Ltd");
  auto connection = api.create_connection(company);
  const auto connection_path =
      "/companies/" + company + "/connections/" + connection["id"].get<std::string>();
  AgentInstall agent(hub, {{"books", book}});
  ASSERT_EQ(agent.link(connection["linkUrl"].get<std::string>(), "books").exit_code, 0);
  agent.start();
  ASSERT_FALSE(wait_all_terminal(api, company, 120s).empty()) << agent.log();
  ASSERT_EQ(latest_dataset(api, company, "suppliers")["status"], "Complete");

  // Another company's book now sits at the configured path.
  std::filesystem::copy_file(other, book, std::filesystem::copy_options::overwrite_existing);
  auto queued = api.post("/companies/" + company + "/data/queue/suppliers");
  ASSERT_EQ(queued.status, 200u) << queued.text;
  auto refused = wait_dataset(api, company, queued.body["id"], "AuthError", 60s);
  ASSERT_EQ(refused["status"], "AuthError") << refused.dump() << agent.log();
  EXPECT_TRUE(refused["isErrored"].get<bool>());
  EXPECT_FALSE(refused.value("errorMessage", "").empty());

  auto deauthorized = api.get(connection_path);
  EXPECT_EQ(deauthorized.body["status"], "Deauthorized") << deauthorized.text;
  const auto fresh_link = deauthorized.body["linkUrl"].get<std::string>();
  EXPECT_NE(fresh_link, connection["linkUrl"].get<std::string>()) << "a fresh linkUrl is issued";

  // New datasets wait while the connection is deauthorized, and say why.
  auto waiting = api.post("/companies/" + company + "/data/queue/customers");
  ASSERT_EQ(waiting.status, 200u) << waiting.text;
  auto waiting_id = waiting.body["id"].get<std::string>();
  auto still = api.dataset(company, waiting_id);
  EXPECT_EQ(still["status"], "Queued");
  EXPECT_FALSE(still.value("statusDescription", "").empty()) << still.dump();

  // The admin confirms the new book by linking again with the fresh linkUrl.
  EXPECT_EQ(agent.stop(), 0) << agent.log();
  auto relinked = agent.link(fresh_link, "books");
  ASSERT_EQ(relinked.exit_code, 0) << relinked.output;
  EXPECT_EQ(api.get(connection_path).body["status"], "Linked");
  agent.start();
  auto done = wait_dataset(api, company, waiting_id, "Complete", 60s);
  EXPECT_EQ(done["status"], "Complete") << done.dump() << agent.log();
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

}  // namespace
}  // namespace bookbridge::testing
