// invoices, bills and creditNotes from GnuCash business documents (the invoices table: customer
// documents are invoices or credit notes, vendor documents are bills; see docs/readers.md).

#include <map>

#include "model/record.h"
#include "readers/gnucash/entry_math.h"
#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

using model::DataType;
using model::Decimal;

constexpr std::string_view kDocuments =
    "SELECT d.guid, d.id, i.date_opened, i.date_posted, i.notes, cm.mnemonic, "
    "COALESCE(cm.fraction, 100), d.owner_guid, COALESCE(c.name, v.name, ''), i.post_txn, "
    "i.post_lot, i.billing_id, t.guid IS NOT NULL, "
    "(SELECT s.timespec_val FROM bb_slots s WHERE s.obj_guid = i.post_txn AND "
    " s.name = 'trans-date-due'), "
    "EXISTS (SELECT 1 FROM bb_slots s WHERE s.obj_guid = i.post_txn AND s.name = 'void-reason') "
    "FROM bb_documents d JOIN invoices i ON i.guid = d.guid "
    "LEFT JOIN commodities cm ON cm.guid = i.currency "
    "LEFT JOIN customers c ON d.kind = 2 AND c.guid = d.owner_guid "
    "LEFT JOIN vendors v ON d.kind = 4 AND v.guid = d.owner_guid "
    "LEFT JOIN transactions t ON t.guid = i.post_txn "
    "WHERE d.kind = ?1 AND d.is_credit_note = ?2 ORDER BY d.id, d.guid";

// Columns: 0 guid, 1 description, 2-3 quantity, 4-5 price, 6-7 discount, 8 disc type, 9 disc how,
// 10 taxable, 11 tax included, 12 tax table, 13 account, 14 account name.
constexpr std::string_view kCustomerEntries =
    "SELECT e.guid, e.description, e.quantity_num, e.quantity_denom, e.i_price_num, "
    "e.i_price_denom, e.i_discount_num, e.i_discount_denom, e.i_disc_type, e.i_disc_how, "
    "e.i_taxable, e.i_taxincluded, e.i_taxtable, e.i_acct, a.name FROM entries e "
    "LEFT JOIN bb_accounts a ON a.guid = e.i_acct WHERE e.invoice = ? "
    "ORDER BY e.date, e.date_entered, e.description, e.guid";
constexpr std::string_view kVendorEntries =
    "SELECT e.guid, e.description, e.quantity_num, e.quantity_denom, e.b_price_num, "
    "e.b_price_denom, NULL, NULL, 'VALUE', 'PRETAX', e.b_taxable, e.b_taxincluded, "
    "e.b_taxtable, e.b_acct, a.name FROM entries e "
    "LEFT JOIN bb_accounts a ON a.guid = e.b_acct WHERE e.bill = ? "
    "ORDER BY e.date, e.date_entered, e.description, e.guid";

struct TaxTable {
  std::string id;  // the user's (visible) table
  std::string name;
  Decimal effective_rate;
  std::vector<TaxTableEntry> entries;
};

struct Statements {
  Stmt documents, entries, tax_table, tax_entries, posting, taxes, lot, allocations, other_doc,
      transfer;
};

class DocumentMapper {
 public:
  DocumentMapper(MapContext& ctx, DataType type) : ctx_(ctx), type_(type) {
    customer_ = type != DataType::bills;
    credit_note_ = type == DataType::credit_notes;
    // +1 when the A/R or A/P split of the posting is positive for a normal document.
    sign_ = Decimal::from_int((customer_ ? 1 : -1) * (credit_note_ ? -1 : 1));
  }

  ReadResult<void> run();

 private:
  ReadResult<void> prepare_all();
  ReadResult<const TaxTable*> tax_table(const std::string& guid);
  ReadResult<Decimal> sum(Stmt& stmt, int num, int denom, const std::string& item);
  ReadResult<void> one(const Stmt& row);

  MapContext& ctx_;
  DataType type_;
  bool customer_ = true;
  bool credit_note_ = false;
  Decimal sign_;
  Statements st_;
  std::map<std::string, TaxTable> tax_tables_;  // bounded by the book's tax tables
};

ReadResult<void> DocumentMapper::prepare_all() {
  const std::pair<Stmt*, std::string_view> all[] = {
      {&st_.documents, kDocuments},
      {&st_.entries, customer_ ? kCustomerEntries : kVendorEntries},
      {&st_.tax_table,
       "SELECT COALESCE(p.guid, t.guid), COALESCE(p.name, t.name) FROM taxtables t "
       "LEFT JOIN taxtables p ON p.guid = t.parent WHERE t.guid = ?"},
      {&st_.tax_entries,
       "SELECT type, amount_num, amount_denom FROM taxtable_entries WHERE taxtable = ? "
       "ORDER BY account, type, amount_num"},
      {&st_.posting,
       "SELECT quantity_num, quantity_denom FROM splits WHERE tx_guid = ? AND lot_guid = ?"},
      // Posted tax: the posting's splits on the accounts of the tax tables its lines used.
      {&st_.taxes,
       customer_ ? "SELECT s.value_num, s.value_denom FROM splits s WHERE s.tx_guid = ?1 AND "
                   "s.account_guid IN (SELECT te.account FROM entries e JOIN taxtable_entries te "
                   "ON te.taxtable = e.i_taxtable WHERE e.invoice = ?2 AND e.i_taxable = 1) AND "
                   "(s.lot_guid IS NULL OR s.lot_guid = '')"
                 : "SELECT s.value_num, s.value_denom FROM splits s WHERE s.tx_guid = ?1 AND "
                   "s.account_guid IN (SELECT te.account FROM entries e JOIN taxtable_entries te "
                   "ON te.taxtable = e.b_taxtable WHERE e.bill = ?2 AND e.b_taxable = 1) AND "
                   "(s.lot_guid IS NULL OR s.lot_guid = '')"},
      {&st_.lot, "SELECT quantity_num, quantity_denom FROM splits WHERE lot_guid = ?"},
      {&st_.allocations,
       "SELECT s.tx_guid, s.quantity_num, s.quantity_denom, t.post_date, t.num, t.description, "
       "cm.mnemonic, (SELECT k.string_val FROM bb_slots k WHERE k.obj_guid = s.tx_guid AND "
       "k.name = 'trans-txn-type'), s.memo FROM splits s JOIN transactions t ON t.guid = "
       "s.tx_guid LEFT JOIN commodities cm ON cm.guid = t.currency_guid WHERE s.lot_guid = ?1 "
       "AND s.tx_guid != ?2 ORDER BY t.post_date, s.tx_guid, s.guid"},
      {&st_.other_doc,
       "SELECT d.guid, d.id, d.is_credit_note FROM splits s JOIN bb_documents d ON d.post_lot = "
       "s.lot_guid WHERE s.tx_guid = ?1 AND s.lot_guid != ?2 ORDER BY d.guid LIMIT 1"},
      {&st_.transfer,
       "SELECT s.account_guid, a.name, s.value_num, s.value_denom FROM splits s JOIN bb_accounts "
       "a ON a.guid = s.account_guid WHERE s.tx_guid = ? AND a.account_type NOT IN "
       "('RECEIVABLE', 'PAYABLE') ORDER BY s.guid"},
  };
  for (const auto& [stmt, sql] : all) {
    auto prepared = prepare(ctx_, sql);
    if (!prepared) {
      return prepared.error();
    }
    *stmt = std::move(*prepared);
  }
  return {};
}

ReadResult<const TaxTable*> DocumentMapper::tax_table(const std::string& guid) {
  if (const auto it = tax_tables_.find(guid); it != tax_tables_.end()) {
    return &it->second;
  }
  TaxTable table;
  st_.tax_table.bind(1, guid);
  if (st_.tax_table.step()) {
    table.id = st_.tax_table.text(0);
    table.name = st_.tax_table.text(1);
  }
  st_.tax_table.reset();
  if (table.id.empty()) {
    return nullptr;  // a dangling reference: the line is treated as untaxed
  }
  st_.tax_entries.bind(1, guid);
  while (st_.tax_entries.step()) {
    auto value = amount(st_.tax_entries, 1, 2, "tax table " + guid);
    if (!value) {
      return value.error();
    }
    const bool percent = st_.tax_entries.integer(0) == 2;
    table.entries.push_back({percent, *value});
    if (percent) {
      table.effective_rate += *value;
    }
  }
  st_.tax_entries.reset();
  return &tax_tables_.emplace(guid, std::move(table)).first->second;
}

ReadResult<Decimal> DocumentMapper::sum(Stmt& stmt, int num, int denom, const std::string& item) {
  Decimal total;
  while (stmt.step()) {
    auto value = amount(stmt, num, denom, item);
    if (!value) {
      stmt.reset();
      return value.error();
    }
    total += *value;
  }
  const bool ok = stmt.ok();
  const std::string error = stmt.error();
  stmt.reset();
  if (!ok) {
    return step_error(ctx_, stmt, item);
  }
  return total;
}

ReadResult<void> DocumentMapper::run() {
  if (auto prepared = prepare_all(); !prepared) {
    return prepared;
  }
  const int kind = customer_ ? 2 : 4;
  if (auto counted =
          ctx_.count("SELECT count(*) FROM bb_documents WHERE kind = " + std::to_string(kind) +
                     " AND is_credit_note = " + (credit_note_ ? "1" : "0"));
      !counted) {
    return counted;
  }
  st_.documents.bind(1, std::int64_t{kind}).bind(2, std::int64_t{credit_note_ ? 1 : 0});
  while (st_.documents.step()) {
    if (auto done = one(st_.documents); !done) {
      return done;
    }
  }
  return st_.documents.ok() ? ReadResult<void>{}
                            : step_error(ctx_, st_.documents, "business documents");
}

ReadResult<void> DocumentMapper::one(const Stmt& row) {
  const std::string id = row.text(0);
  const std::string number = row.text(1);
  const std::string currency = row.text(5);
  const int scale = fraction_scale(row.integer(6));
  const bool posted = row.integer(12) != 0;
  const std::string post_txn = row.text(9);
  const std::string post_lot = row.text(10);
  const std::string item = (customer_ ? (credit_note_ ? "credit note " : "invoice ") : "bill ") +
                           number + " (" + id + ")";

  // Lines, with GnuCash's own arithmetic.
  auto lines = nlohmann::json::array();
  Decimal line_net;
  Decimal line_tax;
  Decimal line_discount;
  Stmt& entries = st_.entries;
  entries.bind(1, id);
  while (entries.step()) {
    const std::string entry_id = entries.text(0);
    auto quantity = amount(entries, 2, 3, "line " + entry_id + " of " + item);
    auto price = amount(entries, 4, 5, "line " + entry_id + " of " + item);
    auto discount = amount(entries, 6, 7, "line " + entry_id + " of " + item);
    if (!quantity || !price || !discount) {
      entries.reset();
      return !quantity ? quantity.error() : (!price ? price.error() : discount.error());
    }
    EntryInput input;
    // Credit notes store negated quantities; the document shows them positive.
    input.quantity = credit_note_ ? -*quantity : *quantity;
    input.price = *price;
    input.discount = *discount;
    input.discount_percent = entries.text(8) != "VALUE";
    const std::string how = entries.text(9);
    input.discount_how = how == "SAMETIME" ? "SAMETIME" : (how == "POSTTAX" ? "POSTTAX" : "PRETAX");
    input.taxable = entries.integer(10) != 0;
    input.tax_included = entries.integer(11) != 0;
    input.scale = scale;
    const TaxTable* table = nullptr;
    if (input.taxable && !entries.text(12).empty()) {
      auto found = tax_table(entries.text(12));
      if (!found) {
        entries.reset();
        return found.error();
      }
      table = *found;
      if (table != nullptr) {
        input.taxes = table->entries;
      }
    }
    const EntryAmounts amounts = compute_entry(input);
    if (!amounts.value.valid() || !amounts.tax.valid()) {
      entries.reset();
      return ReadError{ReadErrc::map_failed,
                       "line " + entry_id + " of " + item + " overflows the decimal range", id};
    }
    nlohmann::json line{
        {"description", text_or_null(entries.text(1))},
        {"unitAmount", input.price},
        {"quantity", input.quantity},
        {"discountAmount", amounts.discount},
        {"subTotal", amounts.value},
        {"taxAmount", amounts.tax},
        {"totalAmount", amounts.value + amounts.tax},
        {"accountRef", entries.is_null(13) || entries.text(13).empty()
                           ? nlohmann::json()
                           : model::account_ref(entries.text(13), entries.text(14))}};
    if (customer_ && input.discount_percent && !input.discount.is_zero()) {
      line["discountPercentage"] = input.discount;
    }
    if (table != nullptr) {
      line["taxRateRef"] = model::tax_rate_ref(table->id, table->name, table->effective_rate);
    }
    lines.push_back(std::move(line));
    line_net += amounts.value;
    line_tax += amounts.tax;
    line_discount += amounts.discount;
  }
  const bool entries_ok = entries.ok();
  entries.reset();
  if (!entries_ok) {
    return step_error(ctx_, entries, "lines of " + item);
  }

  Decimal total = line_net + line_tax;
  Decimal tax = line_tax;
  Decimal open = total;
  std::string status = "Draft";
  auto allocations = nlohmann::json::array();
  std::string last_paid;
  if (posted) {
    // The posting is the truth: its A/R (A/P) split is the total, its tax splits the tax, and the
    // lot (posting + payments + offsets) the amount still open.
    st_.posting.bind(1, post_txn).bind(2, post_lot);
    auto posted_total = sum(st_.posting, 0, 1, "posting of " + item);
    st_.taxes.bind(1, post_txn).bind(2, id);
    auto posted_tax = sum(st_.taxes, 0, 1, "tax of " + item);
    st_.lot.bind(1, post_lot);
    auto lot_balance = sum(st_.lot, 0, 1, "open amount of " + item);
    if (!posted_total || !posted_tax || !lot_balance) {
      return !posted_total ? posted_total.error()
                           : (!posted_tax ? posted_tax.error() : lot_balance.error());
    }
    total = sign_ * *posted_total;
    tax = -(sign_ * *posted_tax);
    open = sign_ * *lot_balance;
    const bool voided = row.integer(14) != 0;
    if (voided) {
      status = "Void";
    } else if (open.is_zero() && !total.is_zero()) {
      status = "Paid";
    } else if (open == total) {
      status = customer_ ? "Submitted" : "Open";
    } else {
      status = "PartiallyPaid";
    }
    Stmt& alloc = st_.allocations;
    alloc.bind(1, post_lot).bind(2, post_txn);
    while (alloc.step()) {
      auto applied = amount(alloc, 1, 2, "payment of " + item);
      if (!applied) {
        alloc.reset();
        return applied.error();
      }
      const std::string txn = alloc.text(0);
      const std::string when = date_field(alloc.text(3));
      nlohmann::json payment{
          {"id", txn},
          {"reference", text_or_null(alloc.text(4))},
          {"note", text_or_null(alloc.text(8).empty() ? alloc.text(5) : alloc.text(8))},
          {"currency", alloc.text(6)},
          {"paidOnDate", when}};
      if (alloc.text(7) == "P") {
        Decimal paid;
        st_.transfer.bind(1, txn);
        bool first = true;
        while (st_.transfer.step()) {
          if (first) {
            payment["accountRef"] = model::account_ref(st_.transfer.text(0), st_.transfer.text(1));
            first = false;
          }
          if (auto value = amount(st_.transfer, 2, 3, "payment " + txn)) {
            paid += *value;
          }
        }
        st_.transfer.reset();
        payment["totalAmount"] = (customer_ ? paid : -paid);
      } else {
        // A lot link: another document (a credit note, or the invoice it offsets) settled it.
        st_.other_doc.bind(1, txn).bind(2, post_lot);
        if (st_.other_doc.step()) {
          payment["id"] = st_.other_doc.text(0);
          payment["reference"] = st_.other_doc.text(1);
          payment["note"] = (st_.other_doc.integer(2) != 0 ? "Credit note " : "Document ") +
                            st_.other_doc.text(1);
        }
        st_.other_doc.reset();
      }
      allocations.push_back({{"payment", std::move(payment)},
                             {"allocation",
                              {{"currency", currency},
                               {"allocatedOnDate", when},
                               {"totalAmount", -(sign_ * *applied)}}}});
      last_paid = std::max(last_paid, when);
    }
    const bool alloc_ok = alloc.ok();
    alloc.reset();
    if (!alloc_ok) {
      return step_error(ctx_, alloc, "payments of " + item);
    }
  }
  if (!total.valid() || !tax.valid() || !open.valid()) {
    return ReadError{ReadErrc::map_failed, item + ": amounts overflow the decimal range", id};
  }

  const std::string issued = date_field(posted ? row.text(3) : row.text(2));
  nlohmann::json record{{"id", id},
                        {"currency", text_or_null(currency)},
                        {"issueDate", issued.empty() ? nlohmann::json() : nlohmann::json(issued)},
                        {"lineItems", std::move(lines)},
                        {"paymentAllocations", std::move(allocations)},
                        {"subTotal", total - tax},
                        {"totalAmount", total},
                        {"status", status},
                        {"note", text_or_null(row.text(4))}};
  const std::string due = date_field(row.text(13));
  if (type_ != DataType::credit_notes) {
    record["dueDate"] = due.empty() ? nlohmann::json() : nlohmann::json(due);
  }
  if (customer_) {
    record["customerRef"] = model::customer_ref(row.text(7), row.text(8));
    record["totalTaxAmount"] = tax;
    record["totalDiscount"] = line_discount;
    record["discountPercentage"] = Decimal::from_int(0);
  } else {
    record["supplierRef"] = model::supplier_ref(row.text(7), row.text(8));
    record["taxAmount"] = tax;
    record["reference"] = number;
  }
  switch (type_) {
    case DataType::invoices:
      record["invoiceNumber"] = number;
      record["amountDue"] = open;
      if (status == "Paid" && !last_paid.empty()) {
        record["paidOnDate"] = last_paid;
      }
      break;
    case DataType::credit_notes:
      record["creditNoteNumber"] = number;
      record["remainingCredit"] = open;
      break;
    default:
      record["amountDue"] = open;
      if (!row.text(11).empty()) {
        record["supplementalData"] = {{"content", {{"billingId", row.text(11)}}}};
      }
      break;
  }
  return ctx_.emit(std::move(record));
}

}  // namespace

ReadResult<void> map_documents(MapContext& ctx, DataType type) {
  DocumentMapper mapper(ctx, type);
  return mapper.run();
}

}  // namespace bookbridge::readers::gnucash
