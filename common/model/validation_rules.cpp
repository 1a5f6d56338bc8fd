// Rules for the master-data and report types. Documents, payments and journals are in
// validation_documents.cpp. Severity choices are explained in docs/readers.md.

#include "model/validation_rules.h"

#include <nlohmann/json.hpp>

#include "model/record.h"

namespace bookbridge::model::detail {
namespace {

constexpr std::string_view kRecordStatus = "Unknown|Active|Archived";

void warn_if_blank(int rule, const nlohmann::json& record, std::string_view key, RuleContext& ctx) {
  if (string_field(record, key).empty()) {
    ctx.warning(rule, std::string(key) + " is empty");
  }
}

void check_addresses(int rule, const nlohmann::json& record, RuleContext& ctx) {
  const auto it = record.find("addresses");
  if (it == record.end() || it->is_null()) {
    return;
  }
  if (!it->is_array()) {
    ctx.error(rule, "addresses is not an array");
    return;
  }
  for (const auto& address : *it) {
    if (!address.is_object()) {
      ctx.error(rule, "an address is not an object");
      continue;
    }
    ctx.check_enum(rule, address, "type", "Unknown|Billing|Delivery", true);
  }
}

// ReportLine.value (0 when the line or value is absent), flagging non-numbers.
Decimal line_value(int rule, const nlohmann::json& report, std::string_view key, RuleContext& ctx) {
  const auto it = report.find(key);
  if (it == report.end() || it->is_null()) {
    return Decimal{};
  }
  if (!it->is_object()) {
    ctx.error(rule, std::string(key) + " is not a report line object");
    return Decimal{};
  }
  return ctx.money(rule, *it, "value", true).value_or(Decimal{});
}

void check_line_accounts(int rule, const nlohmann::json& line, RuleContext& ctx, int depth) {
  if (!line.is_object() || depth > 64) {
    return;
  }
  if (const auto id = line.find("accountId"); id != line.end() && id->is_string()) {
    ctx.check_ref_value(rule, nlohmann::json{{"id", *id}}, "report line accountId",
                        DataType::chart_of_accounts);
  }
  if (const auto items = line.find("items"); items != line.end() && items->is_array()) {
    for (const auto& item : *items) {
      check_line_accounts(rule, item, ctx, depth + 1);
    }
  }
}

const nlohmann::json* reports_of(const nlohmann::json& record, RuleContext& ctx) {
  const auto it = record.find("reports");
  if (it == record.end() || !it->is_array()) {
    ctx.error(10, "reports is required (an array)");
    return nullptr;
  }
  return &*it;
}

void expect_equal(int rule, const Decimal& actual, const Decimal& expected, std::string_view what,
                  RuleContext& ctx) {
  if (actual != expected) {
    ctx.error(rule, std::string(what) + " is " + actual.to_string() + ", expected " +
                        expected.to_string());
  }
}

}  // namespace

void check_company(const nlohmann::json& record, RuleContext& ctx) {
  warn_if_blank(10, record, "companyName", ctx);
  ctx.optional_currency(20, record, "baseCurrency");
  for (const auto* key : {"createdDate", "financialYearStartDate", "ledgerLockDate"}) {
    ctx.optional_date(30, record, key);
  }
  check_addresses(40, record, ctx);
}

void check_account(const nlohmann::json& record, RuleContext& ctx) {
  warn_if_blank(10, record, "name", ctx);
  ctx.check_enum(20, record, "type", "Unknown|Asset|Expense|Income|Liability|Equity", false);
  ctx.check_enum(21, record, "status", "Unknown|Active|Archived|Pending", false);
  ctx.optional_currency(30, record, "currency");
  ctx.money(31, record, "currentBalance", false);
}

void check_contact(const nlohmann::json& record, RuleContext& ctx, bool customer) {
  warn_if_blank(10, record, customer ? "customerName" : "supplierName", ctx);
  ctx.check_enum(20, record, "status", kRecordStatus, true);
  ctx.optional_currency(30, record, "defaultCurrency");
  check_addresses(40, record, ctx);
}

void check_item(const nlohmann::json& record, RuleContext& ctx) {
  warn_if_blank(10, record, "name", ctx);
  ctx.check_enum(20, record, "itemStatus", kRecordStatus, true);
  ctx.check_enum(21, record, "type", "Unknown|Inventory|NonInventory|Service", true);
  for (const auto* key : {"isBillItem", "isInvoiceItem"}) {
    const auto it = record.find(key);
    if (it == record.end() || !it->is_boolean()) {
      ctx.error(22, std::string(key) + " is required (true or false)");
    }
  }
}

void check_tax_rate(const nlohmann::json& record, RuleContext& ctx) {
  warn_if_blank(10, record, "name", ctx);
  ctx.check_enum(20, record, "status", kRecordStatus, false);
  ctx.money(30, record, "effectiveTaxRate", false);
  ctx.money(30, record, "totalTaxRate", false);
  const auto components = record.find("components");
  if (components != record.end() && components->is_array()) {
    for (const auto& component : *components) {
      if (!component.is_object() || !component.contains("isCompound") ||
          !component["isCompound"].is_boolean()) {
        ctx.error(31, "a component has no isCompound (true or false)");
        continue;
      }
      ctx.money(31, component, "rate", false);
    }
  }
}

void check_balance_sheet(const nlohmann::json& record, RuleContext& ctx) {
  ctx.optional_currency(20, record, "currency");
  const auto* reports = reports_of(record, ctx);
  if (reports == nullptr) {
    return;
  }
  for (const auto& report : *reports) {
    if (!report.is_object()) {
      ctx.error(10, "a report is not an object");
      continue;
    }
    ctx.optional_date(11, report, "date");
    const Decimal assets = line_value(12, report, "assets", ctx);
    const Decimal liabilities = line_value(12, report, "liabilities", ctx);
    const Decimal equity = line_value(12, report, "equity", ctx);
    const auto net_assets = ctx.money(12, report, "netAssets", true);
    const std::string when = string_field(report, "date");
    if (net_assets) {
      expect_equal(30, *net_assets, assets - liabilities, "netAssets on " + when, ctx);
      if (*net_assets != equity) {
        ctx.warning(31, "netAssets on " + when + " (" + net_assets->to_string() +
                            ") differs from equity (" + equity.to_string() + ")");
      }
    }
    for (const auto* key : {"assets", "liabilities", "equity"}) {
      if (const auto it = report.find(key); it != report.end()) {
        check_line_accounts(61, *it, ctx, 0);
      }
    }
  }
}

void check_profit_and_loss(const nlohmann::json& record, RuleContext& ctx) {
  ctx.optional_currency(20, record, "currency");
  ctx.check_enum(21, record, "reportBasis", "Unknown|Accrual|Cash", true);
  const auto* reports = reports_of(record, ctx);
  if (reports == nullptr) {
    return;
  }
  for (const auto& report : *reports) {
    if (!report.is_object()) {
      ctx.error(10, "a report is not an object");
      continue;
    }
    ctx.optional_date(11, report, "fromDate");
    ctx.optional_date(11, report, "toDate");
    const std::string when = string_field(report, "fromDate");
    const Decimal income = line_value(12, report, "income", ctx);
    const Decimal cost_of_sales = line_value(12, report, "costOfSales", ctx);
    const Decimal expenses = line_value(12, report, "expenses", ctx);
    const Decimal other_income = line_value(12, report, "otherIncome", ctx);
    const Decimal other_expenses = line_value(12, report, "otherExpenses", ctx);
    const auto gross = ctx.money(12, report, "grossProfit", true).value_or(Decimal{});
    const auto operating = ctx.money(12, report, "netOperatingProfit", true).value_or(Decimal{});
    const auto net_other = ctx.money(12, report, "netOtherIncome", true).value_or(Decimal{});
    const auto net = ctx.money(12, report, "netProfit", true).value_or(Decimal{});
    expect_equal(30, gross, income - cost_of_sales, "grossProfit from " + when, ctx);
    expect_equal(31, operating, gross - expenses, "netOperatingProfit from " + when, ctx);
    expect_equal(32, net_other, other_income - other_expenses, "netOtherIncome from " + when, ctx);
    expect_equal(33, net, operating + net_other, "netProfit from " + when, ctx);
    for (const auto* key : {"income", "costOfSales", "expenses", "otherIncome", "otherExpenses"}) {
      if (const auto it = report.find(key); it != report.end()) {
        check_line_accounts(61, *it, ctx, 0);
      }
    }
  }
}

}  // namespace bookbridge::model::detail
