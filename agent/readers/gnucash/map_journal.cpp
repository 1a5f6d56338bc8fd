// journalEntries: every transaction of the book (scheduled-transaction templates excluded), one
// line per split: netAmount = the split's value in the transaction currency, debit positive.

#include "model/record.h"
#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

// One row per split, grouped by transaction (a transaction without splits still gives a row).
// 0 txn, 1 num, 2 post date, 3 enter date, 4 description, 5 currency, 6 txn type, 7 document,
// 8 document kind, 9 credit note, 10 account, 11 account name, 12 account type, 13 memo,
// 14-15 value, 16 split guid.
constexpr std::string_view kLines =
    "SELECT t.guid, t.num, t.post_date, t.enter_date, t.description, cm.mnemonic, "
    "(SELECT k.string_val FROM bb_slots k WHERE k.obj_guid = t.guid AND "
    " k.name = 'trans-txn-type'), d.guid, d.kind, d.is_credit_note, s.account_guid, a.name, "
    "a.account_type, s.memo, s.value_num, s.value_denom, s.guid "
    "FROM transactions t LEFT JOIN commodities cm ON cm.guid = t.currency_guid "
    "LEFT JOIN bb_documents d ON d.post_txn = t.guid "
    "LEFT JOIN splits s ON s.tx_guid = t.guid LEFT JOIN bb_accounts a ON a.guid = s.account_guid "
    "WHERE NOT EXISTS (SELECT 1 FROM bb_template_tx x WHERE x.guid = t.guid) "
    "ORDER BY t.post_date, t.guid, s.value_num < 0, s.guid";

nlohmann::json record_ref(const Stmt& row, bool touches_receivable, bool touches_payable) {
  if (!row.is_null(7)) {
    const bool customer = row.integer(8) == 2;
    const bool credit_note = row.integer(9) != 0;
    const char* type = customer ? (credit_note ? "creditNotes" : "invoices")
                                : (credit_note ? "billCreditNotes" : "bills");
    return model::record_ref(row.text(7), type);
  }
  if (row.text(6) == "P" && (touches_receivable || touches_payable)) {
    return model::record_ref(row.text(0), touches_receivable ? "payments" : "billPayments");
  }
  return nullptr;
}

}  // namespace

ReadResult<void> map_journal_entries(MapContext& ctx) {
  if (auto counted = ctx.count(
          "SELECT count(*) FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM bb_template_tx x "
          "WHERE x.guid = t.guid)");
      !counted) {
    return counted;
  }
  auto rows = prepare(ctx, kLines);
  if (!rows) {
    return rows.error();
  }
  nlohmann::json record;
  std::string current;
  bool receivable = false;
  bool payable = false;
  nlohmann::json last_ref;
  const auto flush = [&]() -> ReadResult<void> {
    if (current.empty()) {
      return {};
    }
    record["recordRef"] = std::move(last_ref);
    current.clear();
    return ctx.emit(std::move(record));
  };
  while (rows->step()) {
    const std::string id = rows->text(0);
    if (id != current) {
      if (auto emitted = flush(); !emitted) {
        return emitted;
      }
      current = id;
      receivable = payable = false;
      const std::string created = instant_field(rows->text(3));
      const std::string posted = date_field(rows->text(2));
      record = {{"id", id},
                {"description", text_or_null(rows->text(4))},
                {"postedOn", posted.empty() ? nlohmann::json() : nlohmann::json(posted)},
                {"createdOn", created.empty() ? nlohmann::json() : nlohmann::json(created)},
                {"journalLines", nlohmann::json::array()}};
      if (!rows->text(1).empty()) {
        record["supplementalData"] = {{"content", {{"num", rows->text(1)}}}};
      }
    }
    if (!rows->is_null(16)) {
      auto value = amount(*rows, 14, 15, "transaction " + id);
      if (!value) {
        return value.error();
      }
      const std::string type = rows->text(12);
      receivable = receivable || type == "RECEIVABLE";
      payable = payable || type == "PAYABLE";
      record["journalLines"].push_back(
          {{"description", text_or_null(rows->text(13))},
           {"netAmount", *value},
           {"currency", rows->text(5)},
           {"accountRef", model::account_ref(rows->text(10), rows->text(11))}});
    }
    last_ref = record_ref(*rows, receivable, payable);
  }
  if (!rows->ok()) {
    return step_error(ctx, *rows, "transactions");
  }
  return flush();
}

}  // namespace bookbridge::readers::gnucash
