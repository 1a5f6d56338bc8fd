// The GnuCash reader on real books written by GnuCash: every data type against GnuCash's own
// figures, the three storage kinds of one book giving identical records, validation passing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "gnucash_books.h"
#include "model/validation.h"

namespace bookbridge::readers::testing {

const GeneratedBooks& generated_books() {
  static const std::unique_ptr<GeneratedBooks> books = [] {
    auto made = std::make_unique<GeneratedBooks>();
    std::filesystem::path folder = made->dir.path();
    const char* shared = std::getenv("BOOKBRIDGE_TEST_BOOKS");
    const bool prepared = shared != nullptr &&
                          std::filesystem::exists(std::filesystem::path(shared) / "expected.json");
    if (prepared) {
      folder = shared;
    }
    made->sqlite = folder / "full.gnucash";
    made->xml_gzip = folder / "full-xml.gnucash";
    made->xml_plain = folder / "full-plain.gnucash";
    made->bulk_sqlite = folder / "bulk-sqlite.gnucash";
    made->bulk_xml = folder / "bulk-xml.gnucash";
    if (!prepared) {
      const auto result =
          run_command(std::string(BOOKBRIDGE_READER_TESTS) + "/make_test_books.sh '" +
                      folder.string() + "' '" + BOOKBRIDGE_GNUCASH_TOOLS + "' >/dev/null 2>&1");
      if (result.exit_code == 77) {
        made->skip_reason = "GnuCash (python3-gnucash + gnucash) is not installed";
        return made;
      }
      if (result.exit_code != 0) {
        throw std::runtime_error("make_test_books.sh failed");
      }
    }
    std::ifstream in(folder / "expected.json");
    made->expected = nlohmann::json::parse(in, nullptr, false);
    if (made->expected.is_discarded()) {
      throw std::runtime_error("expected.json of the test books is not JSON");
    }
    return made;
  }();
  return *books;
}

namespace {

using model::DataType;
using model::Decimal;
using nlohmann::json;

std::vector<json> must_read(const std::filesystem::path& book, DataType type) {
  auto records = read_type(book, type);
  EXPECT_TRUE(records.has_value()) << (records ? "" : records.error().message);
  return records ? std::move(*records) : std::vector<json>{};
}

std::map<std::string, json> by_id(const std::vector<json>& records) {
  std::map<std::string, json> result;
  for (const auto& record : records) {
    result[record["id"].get<std::string>()] = record;
  }
  return result;
}

int natural_sign(const std::string& type) {
  return type == "LIABILITY" || type == "CREDIT" || type == "PAYABLE" || type == "EQUITY" ||
                 type == "INCOME"
             ? -1
             : 1;
}

TEST(GnuCashBook, ChartOfAccountsMatchesGnuCashBalances) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto accounts = by_id(must_read(books.sqlite, DataType::chart_of_accounts));
  const auto& expected = books.expected["accounts"];
  ASSERT_EQ(accounts.size(), expected.size());
  bool saw_hidden = false;
  bool saw_placeholder = false;
  bool saw_eur = false;
  for (const auto& [id, want] : expected.items()) {
    ASSERT_TRUE(accounts.contains(id)) << want["fullName"];
    const json& got = accounts.at(id);
    const std::string type = want["type"];
    EXPECT_EQ(dec(got["currentBalance"]),
              Decimal::from_int(natural_sign(type)) * dec(want["balance"]))
        << want["fullName"];
    EXPECT_EQ(got["fullyQualifiedName"], want["fullName"]);
    EXPECT_EQ(got["name"], want["name"]);
    EXPECT_EQ(got["currency"], want["commodity"]);
    EXPECT_EQ(got["status"], want["hidden"].get<bool>() ? "Archived" : "Active");
    EXPECT_EQ(got["supplementalData"]["content"]["placeholder"], want["placeholder"]);
    EXPECT_EQ(got["isBankAccount"], type == "BANK" || type == "CASH");
    if (!want["code"].is_null() && want["code"] != "") {
      EXPECT_EQ(got["nominalCode"], want["code"]);
    }
    saw_hidden |= want["hidden"].get<bool>();
    saw_placeholder |= want["placeholder"].get<bool>();
    saw_eur |= want["commodity"] == "EUR";
    EXPECT_NE(got["type"], "Unknown") << want["fullName"];
  }
  EXPECT_TRUE(saw_hidden && saw_placeholder && saw_eur) << "the book lacks a case under test";
}

struct DocumentKind {
  DataType type;
  const char* expected_key;
  const char* tax_key;
  const char* open_key;
};

TEST(GnuCashBook, DocumentsMatchGnuCashTotalsAndAmountsDue) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  std::set<std::string> statuses;
  for (const DocumentKind kind :
       {DocumentKind{DataType::invoices, "invoices", "totalTaxAmount", "amountDue"},
        DocumentKind{DataType::bills, "bills", "taxAmount", "amountDue"},
        DocumentKind{DataType::credit_notes, "creditNotes", "totalTaxAmount", "remainingCredit"}}) {
    const auto records = by_id(must_read(books.sqlite, kind.type));
    const auto& expected = books.expected[kind.expected_key];
    ASSERT_EQ(records.size(), expected.size()) << kind.expected_key;
    for (const auto& [id, want] : expected.items()) {
      ASSERT_TRUE(records.contains(id)) << want["id"];
      const json& got = records.at(id);
      const std::string label = want["id"];
      EXPECT_EQ(dec(got["totalAmount"]), dec(want["total"])) << label;
      EXPECT_EQ(dec(got[kind.tax_key]), dec(want["totalTax"])) << label;
      EXPECT_EQ(dec(got["subTotal"]), dec(want["totalSubtotal"])) << label;
      const bool posted = want["posted"];
      EXPECT_EQ(dec(got[kind.open_key]), posted ? dec(want["amountDue"]) : dec(want["total"]))
          << label;
      EXPECT_EQ(got["currency"], want["currency"]) << label;
      const std::string status = got["status"];
      statuses.insert(status);
      if (!posted) {
        EXPECT_EQ(status, "Draft") << label;
      } else if (want["isPaid"].get<bool>()) {
        EXPECT_EQ(status, "Paid") << label;
      } else {
        EXPECT_TRUE(status == "PartiallyPaid" || status == "Submitted" || status == "Open")
            << label << " " << status;
      }
      if (posted && kind.type != DataType::credit_notes) {
        EXPECT_EQ(got["dueDate"], want["dateDue"].get<std::string>() + "T00:00:00Z") << label;
      }
      EXPECT_EQ(
          got["issueDate"],
          (posted ? want["datePosted"] : want["dateOpened"]).get<std::string>() + "T00:00:00Z")
          << label;
      const auto& lines = got["lineItems"];
      ASSERT_EQ(lines.size(), want["lines"].size()) << label;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        const auto& want_line = want["lines"][i];
        EXPECT_EQ(dec(line["subTotal"]), dec(want_line["subtotal"])) << label << " line " << i;
        EXPECT_EQ(dec(line["taxAmount"]), dec(want_line["tax"])) << label << " line " << i;
        EXPECT_EQ(dec(line["quantity"]), dec(want_line["quantity"])) << label << " line " << i;
        EXPECT_EQ(dec(line["unitAmount"]), dec(want_line["unitPrice"])) << label;
        EXPECT_EQ(line["accountRef"]["id"], want_line["account"]) << label;
      }
      // Settlements: one allocation per other split of the lot, same amounts.
      Decimal settled;
      for (const auto& settlement : want["settlements"]) {
        settled += dec(settlement["amount"]);
      }
      Decimal allocated;
      for (const auto& allocation : got["paymentAllocations"]) {
        allocated += dec(allocation["allocation"]["totalAmount"]);
      }
      EXPECT_EQ(allocated, settled) << label;
      EXPECT_EQ(got["paymentAllocations"].size(), want["settlements"].size()) << label;
    }
  }
  for (const char* status : {"Draft", "Paid", "PartiallyPaid", "Submitted", "Open"}) {
    EXPECT_TRUE(statuses.contains(status)) << "no document with status " << status;
  }
}

TEST(GnuCashBook, ForeignCurrencyInvoiceKeepsItsCurrency) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto invoices = must_read(books.sqlite, DataType::invoices);
  const auto eur = std::find_if(invoices.begin(), invoices.end(),
                                [](const json& i) { return i["currency"] == "EUR"; });
  ASSERT_NE(eur, invoices.end());
  const auto& want = books.expected["invoices"][(*eur)["id"].get<std::string>()];
  EXPECT_EQ(dec((*eur)["totalAmount"]), dec(want["total"]));  // EUR, not the USD income
  EXPECT_EQ(dec((*eur)["amountDue"]), dec(want["amountDue"]));
  const auto journal = by_id(must_read(books.sqlite, DataType::journal_entries));
  const auto& posting = journal.at(want["postTransaction"].get<std::string>());
  for (const auto& line : posting["journalLines"]) {
    EXPECT_EQ(line["currency"], "EUR");  // values in the transaction currency
  }
}

TEST(GnuCashBook, ContactsCompanyAndTaxRates) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto& expected = books.expected;
  const auto customers = by_id(must_read(books.sqlite, DataType::customers));
  ASSERT_EQ(customers.size(), expected["customers"].size());
  for (const auto& [id, want] : expected["customers"].items()) {
    const json& got = customers.at(id);
    EXPECT_EQ(got["customerName"], want["name"]);
    EXPECT_EQ(got["defaultCurrency"], want["currency"]);
    EXPECT_EQ(got["status"], want["active"].get<bool>() ? "Active" : "Archived");
    EXPECT_EQ(got["supplementalData"]["content"]["customerNumber"], want["id"]);
    EXPECT_EQ(got["emailAddress"], want["address"]["email"]);
    ASSERT_FALSE(got["addresses"].empty());
    EXPECT_EQ(got["addresses"][0]["line1"], want["address"]["lines"][0]);
  }
  const auto suppliers = by_id(must_read(books.sqlite, DataType::suppliers));
  ASSERT_EQ(suppliers.size(), expected["vendors"].size());
  for (const auto& [id, want] : expected["vendors"].items()) {
    EXPECT_EQ(suppliers.at(id)["supplierName"], want["name"]);
  }
  const auto company = must_read(books.sqlite, DataType::company);
  ASSERT_EQ(company.size(), 1u);
  EXPECT_EQ(company[0]["companyName"], expected["company"]["name"]);
  EXPECT_EQ(company[0]["taxNumber"], expected["company"]["taxId"]);
  EXPECT_EQ(company[0]["baseCurrency"], expected["baseCurrency"]);
  ASSERT_FALSE(company[0]["addresses"].empty());
  const auto rates = by_id(must_read(books.sqlite, DataType::tax_rates));
  ASSERT_EQ(rates.size(), expected["taxTables"].size());
  for (const auto& [id, want] : expected["taxTables"].items()) {
    EXPECT_EQ(rates.at(id)["name"], want["name"]);
    EXPECT_EQ(dec(rates.at(id)["effectiveTaxRate"]), dec(want["entries"][0]["percent"]));
  }
}

TEST(GnuCashBook, JournalEntriesPaymentsAndCounts) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto& counts = books.expected["counts"];
  const auto journal = must_read(books.sqlite, DataType::journal_entries);
  ASSERT_EQ(journal.size(), counts["transactions"].get<std::size_t>());
  std::size_t splits = 0;
  std::map<std::string, int> refs;
  for (const auto& entry : journal) {
    Decimal sum;
    for (const auto& line : entry["journalLines"]) {
      sum += dec(line["netAmount"]);
      ++splits;
    }
    EXPECT_TRUE(sum.is_zero()) << entry["id"];
    if (entry["recordRef"].is_object()) {
      ++refs[entry["recordRef"]["dataType"].get<std::string>()];
    }
  }
  EXPECT_EQ(splits, counts["splits"].get<std::size_t>());
  const auto payments = must_read(books.sqlite, DataType::payments);
  const auto bill_payments = must_read(books.sqlite, DataType::bill_payments);
  EXPECT_EQ(payments.size() + bill_payments.size(),
            counts["transactionsByType"]["P"].get<std::size_t>());
  EXPECT_EQ(refs["payments"], static_cast<int>(payments.size()));
  EXPECT_EQ(refs["billPayments"], static_cast<int>(bill_payments.size()));
  EXPECT_EQ(refs["invoices"] + refs["bills"] + refs["creditNotes"],
            counts["transactionsByType"]["I"].get<int>());
  for (const auto& payment : payments) {
    EXPECT_TRUE(payment["customerRef"].is_object()) << payment["id"];
    Decimal lines;
    for (const auto& line : payment["lines"]) {
      lines += dec(line["amount"]);
    }
    EXPECT_EQ(lines, dec(payment["totalAmount"]));
    EXPECT_GT(dec(payment["totalAmount"]), Decimal{});
  }
  for (const auto& payment : bill_payments) {
    EXPECT_TRUE(payment["supplierRef"].is_object()) << payment["id"];
    EXPECT_GT(dec(payment["totalAmount"]), Decimal{});
  }
}

TEST(GnuCashBook, BalanceSheetMatchesGnuCashMonthEndBalances) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto sheet = must_read(books.sqlite, DataType::balance_sheet);
  ASSERT_EQ(sheet.size(), 1u);
  const auto& reports = sheet[0]["reports"];
  ASSERT_FALSE(reports.empty());
  const std::string base = books.expected["baseCurrency"];
  int compared = 0;
  for (const auto& report : reports) {
    const std::string date = report["date"].get<std::string>().substr(0, 10);
    std::map<std::string, Decimal> values;
    for (const char* section : {"assets", "liabilities"}) {
      for (const auto& line : report[section]["items"]) {
        values[line["accountId"]] = dec(line["value"]);
      }
    }
    EXPECT_EQ(dec(report["netAssets"]),
              dec(report["assets"]["value"]) - dec(report["liabilities"]["value"]));
    EXPECT_EQ(dec(report["netAssets"]), dec(report["equity"]["value"]));
    for (const auto& [id, account] : books.expected["accounts"].items()) {
      const std::string type = account["type"];
      if (account["commodity"] != base || type == "EQUITY" || type == "INCOME" ||
          type == "EXPENSE" || !account["monthEndBalances"].contains(date)) {
        continue;
      }
      const Decimal want =
          Decimal::from_int(natural_sign(type)) * dec(account["monthEndBalances"][date]);
      EXPECT_EQ(values.contains(id) ? values[id] : Decimal{}, want)
          << account["fullName"] << " at " << date;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
  const auto pnl = must_read(books.sqlite, DataType::profit_and_loss);
  ASSERT_EQ(pnl.size(), 1u);
  EXPECT_EQ(pnl[0]["reports"].size(), reports.size());
}

TEST(GnuCashBook, ThreeStorageKindsGiveIdenticalRecords) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  for (const auto& info : model::all_data_types()) {
    if (info.type == DataType::items) {
      continue;
    }
    const auto sqlite = must_read(books.sqlite, info.type);
    const auto gzip = must_read(books.xml_gzip, info.type);
    const auto plain = must_read(books.xml_plain, info.type);
    EXPECT_FALSE(sqlite.empty()) << info.key;
    EXPECT_EQ(json(sqlite).dump(), json(gzip).dump()) << info.key;
    EXPECT_EQ(json(sqlite).dump(), json(plain).dump()) << info.key;
  }
}

class BookRefs : public model::RefResolver {
 public:
  bool exists(DataType type, std::string_view id) const override {
    return ids.contains({type, std::string(id)});
  }
  std::set<std::pair<DataType, std::string>> ids;
};

class BookIds : public model::IdSet {
 public:
  bool insert(std::string_view id) override { return seen.emplace(id).second; }
  std::set<std::string, std::less<>> seen;
};

TEST(GnuCashBook, EveryDataTypeValidatesWithoutErrors) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  std::map<DataType, std::vector<json>> all;
  BookRefs refs;
  for (const auto& info : model::all_data_types()) {
    if (info.type == DataType::items) {
      continue;
    }
    all[info.type] = must_read(books.xml_gzip, info.type);
    for (const auto& record : all[info.type]) {
      if (record.contains("id")) {
        refs.ids.emplace(info.type, record["id"].get<std::string>());
      }
    }
  }
  for (const auto& [type, records] : all) {
    BookIds ids;
    model::RecordValidator validator(type, ids, &refs);
    model::ValidationResult result;
    for (const auto& record : records) {
      validator.check(record, result);
    }
    EXPECT_TRUE(result.ok()) << model::to_key(type) << ": " << json(result).dump();
    EXPECT_TRUE(result.warnings.empty()) << model::to_key(type) << ": " << json(result).dump();
  }
}

TEST(GnuCashBook, MoneyIsWrittenAsTheExactDecimal) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto invoices = must_read(books.sqlite, DataType::invoices);
  bool saw_fraction = false;
  for (const auto& invoice : invoices) {
    const std::string text = invoice["totalAmount"].dump();
    EXPECT_EQ(text.find('e'), std::string::npos) << text;
    EXPECT_LE(text.size(), 12u) << text;  // no binary noise like 1597.4999999
    saw_fraction |= text.find('.') != std::string::npos;
  }
  EXPECT_TRUE(saw_fraction);
}

}  // namespace
}  // namespace bookbridge::readers::testing

namespace bookbridge::readers::testing {
namespace {

std::string identity_of(const std::filesystem::path& book) {
  ScratchDir work;
  gnucash::GnuCashReader reader({book});
  CountingContext context;
  auto snapshot = reader.fetch(work.path(), context);
  EXPECT_TRUE(snapshot.has_value()) << (snapshot ? "" : snapshot.error().message);
  return snapshot ? (*snapshot)->identity() : std::string();
}

// The agent refuses a source whose identity changed since it was linked; the identity must
// therefore be the book's, whatever storage it is saved in, and differ between books.
TEST(GnuCashBook, IdentityIsTheBookGuidInEveryStorageKind) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto sqlite = identity_of(books.sqlite);
  EXPECT_EQ(sqlite.size(), 32u) << sqlite;
  EXPECT_EQ(identity_of(books.xml_gzip), sqlite);
  EXPECT_EQ(identity_of(books.xml_plain), sqlite);
  EXPECT_NE(identity_of(books.bulk_sqlite), sqlite);
}

}  // namespace
}  // namespace bookbridge::readers::testing
