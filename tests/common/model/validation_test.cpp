#include "model/validation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace bookbridge::model {
namespace {

using nlohmann::json;

class StdIdSet : public IdSet {
 public:
  bool insert(std::string_view id) override { return ids_.emplace(id).second; }

 private:
  std::set<std::string, std::less<>> ids_;
};

class StdRefResolver : public RefResolver {
 public:
  void add(DataType type, std::string id) { known_.emplace(type, std::move(id)); }
  bool exists(DataType type, std::string_view id) const override {
    return known_.contains({type, std::string(id)});
  }

 private:
  std::set<std::pair<DataType, std::string>> known_;
};

struct Checked {
  ValidationResult result;
  bool has_error(std::string_view rule) const { return has(result.errors, rule); }
  bool has_warning(std::string_view rule) const { return has(result.warnings, rule); }
  static bool has(const std::vector<ValidationItem>& items, std::string_view rule) {
    return std::any_of(items.begin(), items.end(),
                       [&](const ValidationItem& item) { return item.rule_id == rule; });
  }
  std::string dump() const { return json(result).dump(); }
};

class ValidationTest : public ::testing::Test {
 protected:
  ValidationTest() {
    refs_.add(DataType::chart_of_accounts, "acc-sales");
    refs_.add(DataType::chart_of_accounts, "acc-bank");
    refs_.add(DataType::customers, "cust-1");
    refs_.add(DataType::suppliers, "supp-1");
    refs_.add(DataType::invoices, "inv-1");
    refs_.add(DataType::bills, "bill-1");
    refs_.add(DataType::tax_rates, "tax-1");
  }

  Checked check(DataType type, const json& record) { return check(type, std::vector{record}); }
  Checked check(DataType type, const std::vector<json>& records) {
    StdIdSet ids;
    RecordValidator validator(type, ids, &refs_);
    Checked checked;
    for (const auto& record : records) {
      validator.check(record, checked.result);
    }
    return checked;
  }

  static json invoice() {
    return json::parse(R"({
      "id": "inv-1", "invoiceNumber": "INV-0001", "customerRef": {"id": "cust-1"},
      "issueDate": "2024-01-10T00:00:00Z", "dueDate": "2024-02-09T00:00:00Z", "currency": "USD",
      "lineItems": [
        {"description": "Consulting", "unitAmount": 150.00, "quantity": 2, "subTotal": 300,
         "taxAmount": 30, "totalAmount": 330, "accountRef": {"id": "acc-sales"},
         "taxRateRef": {"id": "tax-1"}},
        {"description": "Support", "unitAmount": 200, "quantity": 1, "discountAmount": 20,
         "subTotal": 180, "taxAmount": 0, "totalAmount": 180, "accountRef": {"id": "acc-sales"}}
      ],
      "paymentAllocations": [{"payment": {"id": "pay-1"}, "allocation": {"totalAmount": 300}}],
      "subTotal": 480, "totalTaxAmount": 30, "totalAmount": 510, "amountDue": 210,
      "status": "PartiallyPaid"})");
  }

  static json journal() {
    return json::parse(R"({"id": "je-1", "postedOn": "2024-01-05T00:00:00Z",
      "journalLines": [
        {"netAmount": 0.1, "currency": "USD", "accountRef": {"id": "acc-bank"}},
        {"netAmount": 0.2, "currency": "USD", "accountRef": {"id": "acc-bank"}},
        {"netAmount": -0.3, "currency": "USD", "accountRef": {"id": "acc-sales"}}]})");
  }

  StdRefResolver refs_;
};

TEST_F(ValidationTest, GoodInvoiceHasNoFindings) {
  const auto checked = check(DataType::invoices, invoice());
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  EXPECT_TRUE(checked.result.warnings.empty()) << checked.dump();
}

TEST_F(ValidationTest, MissingAndDuplicateIdsAreErrors) {
  json no_id = invoice();
  no_id.erase("id");
  EXPECT_TRUE(check(DataType::invoices, no_id).has_error("accounting-invoice-001"));
  const auto twice = check(DataType::invoices, std::vector{invoice(), invoice()});
  EXPECT_TRUE(twice.has_error("accounting-invoice-002"));
  ASSERT_EQ(twice.result.errors.size(), 1u) << twice.dump();
  EXPECT_EQ(twice.result.errors[0].item_id, "inv-1");
  EXPECT_EQ(twice.result.errors[0].validator_name, "InvoiceValidator");
  EXPECT_TRUE(check(DataType::customers, json::array()).has_error("accounting-customer-001"));
}

TEST_F(ValidationTest, InvoiceTotalsMustEqualLinesPlusTax) {
  json bad = invoice();
  bad["totalAmount"] = 510.01;
  bad["amountDue"] = 0;
  bad["status"] = "Paid";
  const auto checked = check(DataType::invoices, bad);
  EXPECT_TRUE(checked.has_error("accounting-invoice-030")) << checked.dump();
  EXPECT_TRUE(checked.has_error("accounting-invoice-033")) << checked.dump();
  EXPECT_FALSE(checked.has_warning("accounting-invoice-051"));
}

TEST_F(ValidationTest, AmountDueMustBeBetweenZeroAndTotal) {
  json bad = invoice();
  bad["amountDue"] = 600;
  EXPECT_TRUE(check(DataType::invoices, bad).has_error("accounting-invoice-040"));
  bad["amountDue"] = -1;
  EXPECT_TRUE(check(DataType::invoices, bad).has_error("accounting-invoice-040"));
  bad["amountDue"] = 510;
  EXPECT_FALSE(check(DataType::invoices, bad).has_error("accounting-invoice-040"));
  bad["status"] = "Paid";
  EXPECT_TRUE(check(DataType::invoices, bad).has_warning("accounting-invoice-051"));
}

TEST_F(ValidationTest, InvoiceDatesCurrencyAndStatus) {
  json bad = invoice();
  bad["issueDate"] = "2024-02-30";
  bad["currency"] = "usd";
  bad["status"] = "Open";
  bad["dueDate"] = "2023-01-01T00:00:00Z";
  auto checked = check(DataType::invoices, bad);
  EXPECT_TRUE(checked.has_error("accounting-invoice-010"));
  EXPECT_TRUE(checked.has_error("accounting-invoice-020"));
  EXPECT_TRUE(checked.has_error("accounting-invoice-050"));
  bad = invoice();
  bad["dueDate"] = "2023-01-01T00:00:00Z";
  bad.erase("currency");
  checked = check(DataType::invoices, bad);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  EXPECT_TRUE(checked.has_warning("accounting-invoice-012"));
  EXPECT_TRUE(checked.has_warning("accounting-invoice-021"));
}

TEST_F(ValidationTest, UnresolvedReferencesAreErrors) {
  json bad = invoice();
  bad["customerRef"]["id"] = "nobody";
  bad["lineItems"][0]["accountRef"]["id"] = "acc-missing";
  bad["lineItems"][0]["taxRateRef"]["id"] = "tax-missing";
  const auto checked = check(DataType::invoices, bad);
  EXPECT_TRUE(checked.has_error("accounting-invoice-060"));
  EXPECT_TRUE(checked.has_error("accounting-invoice-061"));
  EXPECT_TRUE(checked.has_warning("accounting-invoice-062"));
  // Without a resolver, reference rules are skipped.
  StdIdSet ids;
  RecordValidator no_refs(DataType::invoices, ids, nullptr);
  ValidationResult result;
  no_refs.check(bad, result);
  EXPECT_TRUE(result.ok());
}

TEST_F(ValidationTest, AllocationsMustNotExceedTheDocument) {
  json bad = invoice();
  bad["paymentAllocations"].push_back({{"allocation", {{"totalAmount", 300}}}});
  EXPECT_TRUE(check(DataType::invoices, bad).has_error("accounting-invoice-070"));
}

TEST_F(ValidationTest, BillsAndCreditNotesUseTheirOwnFields) {
  json bill = json::parse(R"({"id": "bill-1", "supplierRef": {"id": "supp-1"},
    "issueDate": "2024-01-15T00:00:00Z", "currency": "USD", "status": "PartiallyPaid",
    "lineItems": [{"quantity": 10, "unitAmount": 25, "subTotal": 250, "taxAmount": 25,
                   "accountRef": {"id": "acc-sales"}}],
    "subTotal": 250, "taxAmount": 25, "totalAmount": 275, "amountDue": 175})");
  auto checked = check(DataType::bills, bill);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  bill["status"] = "Submitted";
  bill["supplierRef"]["id"] = "x";
  checked = check(DataType::bills, bill);
  EXPECT_TRUE(checked.has_error("accounting-bill-050"));
  EXPECT_TRUE(checked.has_error("accounting-bill-060"));
  EXPECT_EQ(checked.result.errors[0].validator_name, "BillValidator");

  json note = json::parse(R"({"id": "cn-1", "customerRef": {"id": "cust-1"},
    "issueDate": "2024-02-05T00:00:00Z", "currency": "USD", "status": "Submitted",
    "lineItems": [{"quantity": 1, "unitAmount": 50, "subTotal": 50}],
    "subTotal": 50, "totalTaxAmount": 0, "totalAmount": 50, "totalDiscount": 0,
    "discountPercentage": 0, "remainingCredit": 50})");
  checked = check(DataType::credit_notes, note);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  note["remainingCredit"] = 60;
  EXPECT_TRUE(check(DataType::credit_notes, note).has_error("accounting-creditnote-040"));
  note.erase("remainingCredit");
  EXPECT_TRUE(check(DataType::credit_notes, note).has_error("accounting-creditnote-031"));
}

TEST_F(ValidationTest, JournalEntriesMustBalanceExactly) {
  auto checked = check(DataType::journal_entries, journal());
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  json bad = journal();
  bad["journalLines"][2]["netAmount"] = -0.31;
  checked = check(DataType::journal_entries, bad);
  EXPECT_TRUE(checked.has_error("accounting-journalentry-030")) << checked.dump();
  bad = journal();
  bad["journalLines"][0].erase("netAmount");
  EXPECT_TRUE(check(DataType::journal_entries, bad).has_error("accounting-journalentry-031"));
  bad = journal();
  bad["journalLines"][0]["accountRef"]["id"] = "nope";
  bad["journalLines"][0]["currency"] = "ZZZ";
  checked = check(DataType::journal_entries, bad);
  EXPECT_TRUE(checked.has_error("accounting-journalentry-061"));
  EXPECT_TRUE(checked.has_error("accounting-journalentry-020"));
  bad = journal();
  bad["journalLines"] = json::array();
  bad.erase("postedOn");
  checked = check(DataType::journal_entries, bad);
  EXPECT_TRUE(checked.has_warning("accounting-journalentry-032"));
  EXPECT_TRUE(checked.has_warning("accounting-journalentry-011"));
  EXPECT_TRUE(checked.result.ok());
}

TEST_F(ValidationTest, JournalRecordRefsResolveForKnownTypesOnly) {
  json entry = journal();
  entry["recordRef"] = {{"id", "inv-1"}, {"dataType", "invoices"}};
  EXPECT_TRUE(check(DataType::journal_entries, entry).result.warnings.empty());
  entry["recordRef"]["id"] = "inv-404";
  EXPECT_TRUE(check(DataType::journal_entries, entry).has_warning("accounting-journalentry-062"));
  entry["recordRef"]["dataType"] = "billCreditNotes";  // not a Bookbridge data type: not checked
  EXPECT_TRUE(check(DataType::journal_entries, entry).result.warnings.empty());
}

TEST_F(ValidationTest, PaymentAllocationsMustNotExceedThePayment) {
  json payment = json::parse(R"({"id": "pay-1", "customerRef": {"id": "cust-1"},
    "accountRef": {"id": "acc-bank"}, "totalAmount": 300, "currency": "USD",
    "date": "2024-01-25T00:00:00Z",
    "lines": [{"amount": 300, "links": [{"type": "Invoice", "id": "inv-1", "amount": -300}]}]})");
  auto checked = check(DataType::payments, payment);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  EXPECT_TRUE(checked.result.warnings.empty()) << checked.dump();
  payment["lines"].push_back({{"amount", 0.01}, {"links", json::array()}});
  payment["lines"][0]["links"][0]["id"] = "inv-x";
  payment.erase("date");
  checked = check(DataType::payments, payment);
  EXPECT_TRUE(checked.has_error("accounting-payment-030"));
  EXPECT_TRUE(checked.has_error("accounting-payment-010"));
  EXPECT_TRUE(checked.has_warning("accounting-payment-062"));
  json bill_payment = json::parse(R"({"id": "bp-1", "supplierRef": {"id": "missing"},
    "totalAmount": -100, "date": "2024-01-30T00:00:00Z",
    "lines": [{"amount": -100, "links": [{"type": "Bill", "id": "bill-1", "amount": 100}]}]})");
  checked = check(DataType::bill_payments, bill_payment);
  EXPECT_TRUE(checked.has_error("accounting-billpayment-060"));
  EXPECT_FALSE(checked.has_error("accounting-billpayment-030"));
}

TEST_F(ValidationTest, MasterDataRules) {
  auto checked =
      check(DataType::customers, json{{"id", "c"},
                                      {"customerName", "Acme"},
                                      {"status", "Active"},
                                      {"defaultCurrency", "USD"},
                                      {"addresses", {{{"type", "Billing"}, {"line1", "1 Main"}}}}});
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  EXPECT_TRUE(checked.result.warnings.empty());
  checked = check(DataType::suppliers, json{{"id", "s"},
                                            {"status", "Gone"},
                                            {"defaultCurrency", "EURO"},
                                            {"addresses", {{{"type", "Home"}}}}});
  EXPECT_TRUE(checked.has_warning("accounting-supplier-010"));
  EXPECT_TRUE(checked.has_error("accounting-supplier-020"));
  EXPECT_TRUE(checked.has_error("accounting-supplier-030"));
  EXPECT_TRUE(checked.has_error("accounting-supplier-040"));
  checked = check(DataType::chart_of_accounts, json{{"id", "a"},
                                                    {"name", "Bank"},
                                                    {"type", "Cash"},
                                                    {"currency", "usd"},
                                                    {"currentBalance", "12.00"},
                                                    {"status", "Active"}});
  EXPECT_TRUE(checked.has_error("accounting-account-020"));
  EXPECT_TRUE(checked.has_error("accounting-account-030"));
  EXPECT_TRUE(checked.has_error("accounting-account-031"));
  checked = check(DataType::company,
                  json{{"companyName", ""}, {"baseCurrency", "XYZ"}, {"createdDate", "yesterday"}});
  EXPECT_TRUE(checked.has_warning("accounting-company-010"));
  EXPECT_TRUE(checked.has_error("accounting-company-020"));
  EXPECT_TRUE(checked.has_error("accounting-company-030"));
  EXPECT_TRUE(
      check(DataType::items, json{{"id", "i"}, {"name", "x"}}).has_error("accounting-item-020"));
  checked = check(DataType::tax_rates, json{{"id", "t"},
                                            {"name", "VAT"},
                                            {"effectiveTaxRate", 10},
                                            {"components", {{{"rate", 10}}}}});
  EXPECT_TRUE(checked.has_error("accounting-taxrate-031"));
}

TEST_F(ValidationTest, ReportsMustAddUp) {
  json sheet = json::parse(R"({"currency": "USD", "reports": [{"date": "2024-01-31T00:00:00Z",
    "assets": {"name": "Assets", "value": 5000.10, "items": [{"accountId": "acc-bank",
      "name": "Bank", "value": 5000.10}]},
    "liabilities": {"name": "Liabilities", "value": 0.1},
    "equity": {"name": "Equity", "value": 5000}, "netAssets": 5000}]})");
  auto checked = check(DataType::balance_sheet, sheet);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  EXPECT_TRUE(checked.result.warnings.empty()) << checked.dump();
  sheet["reports"][0]["netAssets"] = 5000.01;
  sheet["reports"][0]["assets"]["items"][0]["accountId"] = "unknown";
  checked = check(DataType::balance_sheet, sheet);
  EXPECT_TRUE(checked.has_error("accounting-balancesheet-030"));
  EXPECT_TRUE(checked.has_warning("accounting-balancesheet-031"));
  EXPECT_TRUE(checked.has_error("accounting-balancesheet-061"));
  EXPECT_TRUE(
      check(DataType::balance_sheet, json::object()).has_error("accounting-balancesheet-010"));

  json pnl = json::parse(R"({"reportBasis": "Accrual", "currency": "USD", "reports": [{
    "fromDate": "2024-01-01T00:00:00Z", "toDate": "2024-01-31T00:00:00Z",
    "income": {"name": "Income", "value": 1000}, "costOfSales": {"name": "COGS", "value": 0},
    "expenses": {"name": "Expenses", "value": 250.5},
    "grossProfit": 1000, "netOperatingProfit": 749.5, "netOtherIncome": 0,
    "netProfit": 749.5}]})");
  checked = check(DataType::profit_and_loss, pnl);
  EXPECT_TRUE(checked.result.ok()) << checked.dump();
  pnl["reports"][0]["netProfit"] = 749.6;
  pnl["reportBasis"] = "Mixed";
  checked = check(DataType::profit_and_loss, pnl);
  EXPECT_TRUE(checked.has_error("accounting-profitandloss-033"));
  EXPECT_TRUE(checked.has_error("accounting-profitandloss-021"));
}

TEST_F(ValidationTest, ResultIsBoundedAndRoundTripsThroughJson) {
  std::vector<json> records(ValidationResult::kMaxItems + 5,
                            json{{"id", "same"}, {"status", "Active"}, {"customerName", "A"}});
  const auto checked = check(DataType::customers, records);
  EXPECT_EQ(checked.result.errors.size(), ValidationResult::kMaxItems);
  EXPECT_EQ(checked.result.dropped, 4u);

  const json encoded = checked.result;
  EXPECT_EQ(encoded["errors"][0]["ruleId"], "accounting-customer-002");
  EXPECT_EQ(encoded["errors"][0]["validatorName"], "CustomerValidator");
  EXPECT_EQ(encoded["errors"][0]["itemId"], "same");
  ValidationResult decoded = encoded.get<ValidationResult>();
  EXPECT_EQ(decoded.errors.size(), checked.result.errors.size());
  EXPECT_EQ(decoded.errors[0].message, checked.result.errors[0].message);
}

TEST(ReferencedTypes, ListWhatEachTypeRefersTo) {
  const auto invoice_refs = referenced_types(DataType::invoices);
  EXPECT_NE(std::find(invoice_refs.begin(), invoice_refs.end(), DataType::customers),
            invoice_refs.end());
  EXPECT_NE(std::find(invoice_refs.begin(), invoice_refs.end(), DataType::chart_of_accounts),
            invoice_refs.end());
  const auto bill_refs = referenced_types(DataType::bill_payments);
  EXPECT_NE(std::find(bill_refs.begin(), bill_refs.end(), DataType::suppliers), bill_refs.end());
  EXPECT_TRUE(referenced_types(DataType::customers).empty());
}

}  // namespace
}  // namespace bookbridge::model
