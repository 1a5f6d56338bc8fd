// Rules for invoices, bills, credit notes, payments, bill payments and journal entries.

#include <nlohmann/json.hpp>

#include "model/record.h"
#include "model/validation_rules.h"

namespace bookbridge::model::detail {
namespace {

struct DocumentShape {
  std::string_view tax_key;   // totalTaxAmount | taxAmount
  std::string_view open_key;  // amountDue | remainingCredit
  bool open_required;
  bool subtotal_required;
  bool issue_date_required;
  bool lines_need_amounts;  // unitAmount + quantity required per line
  std::string_view statuses;
  std::string_view contact_key;  // customerRef | supplierRef
  DataType contact_type;
};

DocumentShape shape_of(DataType type) {
  switch (type) {
    case DataType::bills:
      return {"taxAmount",
              "amountDue",
              false,
              true,
              true,
              false,
              "Unknown|Open|PartiallyPaid|Paid|Void|Draft",
              "supplierRef",
              DataType::suppliers};
    case DataType::credit_notes:
      return {"totalTaxAmount",
              "remainingCredit",
              true,
              true,
              false,
              true,
              "Unknown|Draft|Submitted|Paid|Void|PartiallyPaid",
              "customerRef",
              DataType::customers};
    default:
      return {"totalTaxAmount",
              "amountDue",
              true,
              false,
              true,
              true,
              "Unknown|Draft|Submitted|PartiallyPaid|Paid|Void",
              "customerRef",
              DataType::customers};
  }
}

std::string text(const Decimal& value) {
  return value.to_string();
}

Decimal absolute(const Decimal& value) {
  return value.sign() < 0 ? -value : value;
}

// The line's amount before tax: subTotal, else quantity * unitAmount - discountAmount.
std::optional<Decimal> line_net(const nlohmann::json& line, RuleContext& ctx) {
  if (auto sub_total = ctx.money(32, line, "subTotal", false)) {
    return sub_total;
  }
  const auto quantity = ctx.money(32, line, "quantity", false);
  const auto unit = ctx.money(32, line, "unitAmount", false);
  if (!quantity || !unit) {
    return std::nullopt;
  }
  return *quantity * *unit - ctx.money(32, line, "discountAmount", false).value_or(Decimal{});
}

}  // namespace

void check_invoice_like(const nlohmann::json& record, RuleContext& ctx, DataType type) {
  const DocumentShape shape = shape_of(type);
  if (shape.issue_date_required) {
    ctx.require_date(10, record, "issueDate");
  } else {
    ctx.optional_date(10, record, "issueDate");
  }
  ctx.optional_date(11, record, "dueDate");
  const auto issue = parse_datetime(string_field(record, "issueDate"));
  const auto due = parse_datetime(string_field(record, "dueDate"));
  if (issue && due && *due < *issue) {
    ctx.warning(12, "dueDate is before issueDate");
  }
  ctx.optional_currency(20, record, "currency");
  if (!record.contains("currency") || record["currency"].is_null()) {
    ctx.warning(21, "currency is missing");
  }
  ctx.check_enum(50, record, "status", shape.statuses, true);

  const auto total = ctx.money(31, record, "totalAmount", true);
  const auto tax = ctx.money(31, record, shape.tax_key, true);
  const auto sub_total = ctx.money(31, record, "subTotal", shape.subtotal_required);
  const auto open = ctx.money(31, record, shape.open_key, shape.open_required);
  if (total && tax && sub_total && *sub_total + *tax != *total) {
    ctx.error(33, "subTotal " + text(*sub_total) + " plus " + std::string(shape.tax_key) + " " +
                      text(*tax) + " is not totalAmount " + text(*total));
  }
  if (total && open) {
    const bool in_range = total->sign() >= 0 ? (open->sign() >= 0 && *open <= *total)
                                             : (open->sign() <= 0 && *open >= *total);
    if (!in_range) {
      ctx.error(40, std::string(shape.open_key) + " " + text(*open) +
                        " is not between 0 and totalAmount " + text(*total));
    }
    const std::string status = string_field(record, "status");
    if (status == "Paid" && !open->is_zero()) {
      ctx.warning(51, "status is Paid but " + std::string(shape.open_key) + " is " + text(*open));
    }
  }

  const auto lines = record.find("lineItems");
  if (lines != record.end() && lines->is_array() && !lines->empty()) {
    Decimal line_sum;
    bool complete = true;
    for (const auto& line : *lines) {
      if (!line.is_object()) {
        ctx.error(32, "a line item is not an object");
        complete = false;
        continue;
      }
      if (shape.lines_need_amounts &&
          (!ctx.money(32, line, "quantity", true) || !ctx.money(32, line, "unitAmount", true))) {
        complete = false;
      }
      if (const auto net = line_net(line, ctx)) {
        line_sum += *net;
      } else {
        complete = false;
      }
      ctx.check_ref(61, line, "accountRef", DataType::chart_of_accounts);
      ctx.check_ref(62, line, "taxRateRef", DataType::tax_rates, false);
    }
    if (complete && total && tax && line_sum + *tax != *total) {
      ctx.error(30, "line items sum to " + text(line_sum) + "; plus " + std::string(shape.tax_key) +
                        " " + text(*tax) + " that is not totalAmount " + text(*total));
    }
  } else if (lines != record.end() && !lines->is_null() && !lines->is_array()) {
    ctx.error(32, "lineItems is not an array");
  }
  ctx.check_ref(60, record, shape.contact_key, shape.contact_type);

  const auto allocations = record.find("paymentAllocations");
  if (total && allocations != record.end() && allocations->is_array()) {
    Decimal allocated;
    for (const auto& allocation : *allocations) {
      if (allocation.is_object() && allocation.contains("allocation")) {
        allocated += absolute(
            ctx.money(70, allocation["allocation"], "totalAmount", true).value_or(Decimal{}));
      }
    }
    if (allocated > absolute(*total)) {
      ctx.error(70, "payment allocations total " + text(allocated) + ", more than totalAmount " +
                        text(*total));
    }
  }
}

void check_payment_like(const nlohmann::json& record, RuleContext& ctx, bool bill_payment) {
  ctx.require_date(10, record, "date");
  ctx.optional_currency(20, record, "currency");
  const auto total = ctx.money(31, record, "totalAmount", false);
  ctx.check_ref(60, record, bill_payment ? "supplierRef" : "customerRef",
                bill_payment ? DataType::suppliers : DataType::customers);
  ctx.check_ref(61, record, "accountRef", DataType::chart_of_accounts);
  const auto lines = record.find("lines");
  if (lines == record.end() || lines->is_null()) {
    return;
  }
  if (!lines->is_array()) {
    ctx.error(31, "lines is not an array");
    return;
  }
  Decimal allocated;
  for (const auto& line : *lines) {
    if (!line.is_object()) {
      ctx.error(31, "a line is not an object");
      continue;
    }
    allocated += absolute(ctx.money(31, line, "amount", true).value_or(Decimal{}));
    ctx.optional_date(11, line, "allocatedOnDate");
    const auto links = line.find("links");
    if (links == line.end() || !links->is_array()) {
      continue;
    }
    for (const auto& link : *links) {
      const std::string type = string_field(link, "type");
      ctx.check_enum(32, link, "type",
                     bill_payment ? "Unknown|Unlinked|Bill|Other|CreditNote|BillPayment|"
                                    "PaymentOnAccount|Refund|ManualJournal|Discount"
                                  : "Unknown|Unlinked|Invoice|CreditNote|Other|Refund|Payment|"
                                    "PaymentOnAccount|ManualJournal|Discount",
                     true);
      if (type == "Invoice" || type == "Bill" || (type == "CreditNote" && !bill_payment)) {
        const DataType target = type == "Invoice" ? DataType::invoices
                                : type == "Bill"  ? DataType::bills
                                                  : DataType::credit_notes;
        ctx.check_ref_value(62, link, type + " link", target, false);
      }
    }
  }
  if (total && allocated > absolute(*total)) {
    ctx.error(30, "lines allocate " + text(allocated) + ", more than the payment's totalAmount " +
                      text(*total));
  }
}

void check_journal_entry(const nlohmann::json& record, RuleContext& ctx) {
  const auto posted = record.find("postedOn");
  if (posted == record.end() || posted->is_null()) {
    ctx.warning(11, "postedOn is missing");
  } else {
    ctx.optional_date(10, record, "postedOn");
  }
  ctx.optional_date(10, record, "createdOn");
  // recordRef: resolved for the document types validation knows; others (billCreditNotes,
  // transfers, ...) are not checked.
  if (const auto ref = record.find("recordRef"); ref != record.end() && ref->is_object()) {
    static constexpr std::pair<std::string_view, DataType> kTargets[] = {
        {"invoices", DataType::invoices},        {"bills", DataType::bills},
        {"payments", DataType::payments},        {"billPayments", DataType::bill_payments},
        {"creditNotes", DataType::credit_notes},
    };
    const std::string type = string_field(*ref, "dataType");
    for (const auto& [key, target] : kTargets) {
      if (key == type) {
        ctx.check_ref_value(62, *ref, "recordRef", target, false);
      }
    }
  }
  const auto lines = record.find("journalLines");
  if (lines == record.end() || !lines->is_array() || lines->empty()) {
    ctx.warning(32, "the journal entry has no lines");
    return;
  }
  Decimal sum;
  bool complete = true;
  for (const auto& line : *lines) {
    if (!line.is_object()) {
      ctx.error(31, "a journal line is not an object");
      complete = false;
      continue;
    }
    if (const auto net = ctx.money(31, line, "netAmount", true)) {
      sum += *net;
    } else {
      complete = false;
    }
    ctx.optional_currency(20, line, "currency");
    ctx.check_ref(61, line, "accountRef", DataType::chart_of_accounts);
  }
  if (complete && !sum.is_zero()) {
    ctx.error(30, "journal lines do not balance: netAmounts sum to " + text(sum));
  }
}

}  // namespace bookbridge::model::detail
