// The synced data read back through the client API equals GnuCash's own figures (read through
// GnuCash's Python bindings, not through our reader): counts of every type, account balances,
// invoice and bill totals and amounts due. Also exercises two sources (two companies) at once.

#include <gtest/gtest.h>

#include <map>

#include "e2e_env.h"
#include "model/decimal.h"

namespace bookbridge::testing {
namespace {

using namespace std::chrono_literals;
using model::Decimal;

Decimal dec(const nlohmann::json& value) {
  if (value.is_string()) {
    return Decimal::parse(value.get<std::string>()).value();
  }
  return Decimal::from_json(value).value();
}

// Our chartOfAccounts shows natural signs (a normal credit balance is positive); GnuCash's figures
// are debit-positive.
int natural_sign(const std::string& gnucash_type) {
  return gnucash_type == "LIABILITY" || gnucash_type == "CREDIT" || gnucash_type == "PAYABLE" ||
                 gnucash_type == "EQUITY" || gnucash_type == "INCOME"
             ? -1
             : 1;
}

std::map<std::string, nlohmann::json> by_id(const std::vector<nlohmann::json>& records) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& record : records) {
    out[record["id"].get<std::string>()] = record;
  }
  return out;
}

void expect_documents(const nlohmann::json& expected, const std::vector<nlohmann::json>& records,
                      const std::string& what) {
  auto synced = by_id(records);
  EXPECT_EQ(synced.size(), expected.size()) << what;
  for (const auto& [guid, doc] : expected.items()) {
    ASSERT_TRUE(synced.contains(guid)) << what << " " << doc.dump();
    const auto& record = synced[guid];
    EXPECT_EQ(dec(record["totalAmount"]), dec(doc["total"])) << what << " " << guid;
    if (!doc["amountDue"].is_null()) {
      EXPECT_EQ(dec(record["amountDue"]), dec(doc["amountDue"])) << what << " " << guid;
    }
  }
}

TEST(FiguresTest, SyncedDataMatchesGnuCashForTwoCompaniesAtOnce) {
  TempDir dir("bookbridge-e2e-figures");
  auto full = dir / "full.gnucash";
  auto small = dir / "small.gnucash";
  make_book(full, "xml", "full");
  make_book(small, "sqlite", "small");
  auto figures = expected_figures(full);
  ASSERT_TRUE(figures.contains("counts")) << figures.dump();

  HubProcess hub;
  HubApi api(hub.url(), hub.api_key(), hub.ca_file());
  auto acme = api.create_company("Acme (full book)");
  auto beta = api.create_company("Beta (small book)");
  auto acme_connection = api.create_connection(acme);
  auto beta_connection = api.create_connection(beta);
  AgentInstall agent(hub, {{"acme", full}, {"beta", small}});
  ASSERT_EQ(agent.link(acme_connection["linkUrl"].get<std::string>(), "acme").exit_code, 0);
  ASSERT_EQ(agent.link(beta_connection["linkUrl"].get<std::string>(), "beta").exit_code, 0);
  agent.start();
  auto acme_done = wait_all_terminal(api, acme, 180s);
  auto beta_done = wait_all_terminal(api, beta, 180s);
  ASSERT_EQ(acme_done.size(), 14u) << agent.log();
  ASSERT_EQ(beta_done.size(), 14u) << agent.log();
  for (const auto& dataset : acme_done) {
    if (dataset["dataType"] != "items") {
      EXPECT_EQ(dataset["status"], "Complete") << dataset.dump();
    }
  }

  const auto& counts = figures["counts"];
  auto accounts = fetch_all(api, acme, "data/accounts");
  auto customers = fetch_all(api, acme, "data/customers");
  auto suppliers = fetch_all(api, acme, "data/suppliers");
  auto invoices = fetch_all(api, acme, "data/invoices");
  auto bills = fetch_all(api, acme, "data/bills");
  auto credit_notes = fetch_all(api, acme, "data/creditNotes");
  auto journal = fetch_all(api, acme, "data/journalEntries");
  EXPECT_EQ(accounts.size(), counts["accounts"].get<std::size_t>());
  EXPECT_EQ(customers.size(), counts["customers"].get<std::size_t>());
  EXPECT_EQ(suppliers.size(), counts["vendors"].get<std::size_t>());
  EXPECT_EQ(invoices.size(), counts["invoices"].get<std::size_t>());
  EXPECT_EQ(bills.size(), counts["bills"].get<std::size_t>());
  EXPECT_EQ(credit_notes.size(), counts["creditNotes"].get<std::size_t>());
  EXPECT_EQ(journal.size(), counts["transactions"].get<std::size_t>());

  auto synced_accounts = by_id(accounts);
  for (const auto& [guid, account] : figures["accounts"].items()) {
    ASSERT_TRUE(synced_accounts.contains(guid)) << account.dump();
    const auto& record = synced_accounts[guid];
    auto expected = dec(account["balance"]);
    if (natural_sign(account["type"].get<std::string>()) < 0) {
      expected = -expected;
    }
    EXPECT_EQ(dec(record["currentBalance"]), expected) << account["fullName"];
    EXPECT_EQ(record["currency"], account["commodity"]) << account["fullName"];
  }
  expect_documents(figures["invoices"], invoices, "invoice");
  expect_documents(figures["bills"], bills, "bill");

  // The other company got its own book, not a mix.
  EXPECT_EQ(fetch_all(api, beta, "data/customers").size(), 2u);
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

}  // namespace
}  // namespace bookbridge::testing
