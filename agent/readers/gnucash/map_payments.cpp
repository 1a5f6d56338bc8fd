// payments and billPayments: transactions GnuCash marked as payments (trans-txn-type "P"); the
// A/R (A/P) splits say which documents they settle through the documents' lots.

#include "model/record.h"
#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

using model::Decimal;

constexpr std::string_view kPayments =
    "SELECT t.guid, t.num, t.post_date, t.description, cm.mnemonic FROM transactions t "
    "JOIN bb_slots k ON k.obj_guid = t.guid AND k.name = 'trans-txn-type' AND k.string_val = 'P' "
    "LEFT JOIN commodities cm ON cm.guid = t.currency_guid "
    "WHERE NOT EXISTS (SELECT 1 FROM bb_template_tx x WHERE x.guid = t.guid) "
    "AND EXISTS (SELECT 1 FROM splits s JOIN bb_accounts a ON a.guid = s.account_guid "
    "            WHERE s.tx_guid = t.guid AND a.account_type = ?1) "
    "ORDER BY t.post_date, t.guid";

// 0 account, 1 name, 2 type, 3-4 value, 5-6 quantity, 7 memo, 8 document, 9 document kind,
// 10 credit note, 11 document owner, 12 lot owner (pre-payment lots), 13 lot guid.
constexpr std::string_view kSplits =
    "SELECT s.account_guid, a.name, a.account_type, s.value_num, s.value_denom, s.quantity_num, "
    "s.quantity_denom, s.memo, d.guid, d.kind, d.is_credit_note, d.owner_guid, "
    "(SELECT o.guid_val FROM bb_slots o WHERE o.obj_guid = s.lot_guid AND "
    " o.name = 'gncOwner/owner-guid'), s.lot_guid "
    "FROM splits s JOIN bb_accounts a ON a.guid = s.account_guid "
    "LEFT JOIN bb_documents d ON d.post_lot = s.lot_guid AND s.lot_guid != '' "
    "WHERE s.tx_guid = ? ORDER BY s.guid";

}  // namespace

ReadResult<void> map_payments(MapContext& ctx, bool bill_payments) {
  const std::string ledger = bill_payments ? "PAYABLE" : "RECEIVABLE";
  if (auto counted = ctx.count(
          "SELECT count(*) FROM (" +
          std::string(kPayments).replace(kPayments.find("?1"), 2, "'" + ledger + "'") + ")");
      !counted) {
    return counted;
  }
  auto payments = prepare(ctx, kPayments);
  auto splits = prepare(ctx, kSplits);
  auto owner = prepare(ctx, bill_payments ? "SELECT name FROM vendors WHERE guid = ?"
                                          : "SELECT name FROM customers WHERE guid = ?");
  if (!payments || !splits || !owner) {
    return !payments ? payments.error() : (!splits ? splits.error() : owner.error());
  }
  payments->bind(1, ledger);
  while (payments->step()) {
    const std::string id = payments->text(0);
    const std::string date = date_field(payments->text(2));
    const std::string currency = payments->text(4);
    auto lines = nlohmann::json::array();
    Decimal total;
    std::string owner_id;
    nlohmann::json account;
    std::string memo;
    splits->bind(1, id);
    while (splits->step()) {
      auto value = amount(*splits, 3, 4, "payment " + id);
      auto quantity = amount(*splits, 5, 6, "payment " + id);
      if (!value || !quantity) {
        splits->reset();
        return !value ? value.error() : quantity.error();
      }
      if (splits->text(2) != ledger) {
        if (account.is_null()) {
          account = model::account_ref(splits->text(0), splits->text(1));
          memo = splits->text(7);
        }
        continue;
      }
      // Money received reduces A/R (a credit); money paid reduces A/P (a debit).
      const Decimal applied = bill_payments ? *value : -*value;
      nlohmann::json link;
      if (!splits->is_null(8)) {
        const bool credit_note = splits->integer(10) != 0;
        const Decimal doc_sign =
            Decimal::from_int((bill_payments ? -1 : 1) * (credit_note ? -1 : 1));
        link = {{"type", bill_payments ? (credit_note ? "CreditNote" : "Bill")
                                       : (credit_note ? "CreditNote" : "Invoice")},
                {"id", splits->text(8)},
                {"amount", doc_sign * *quantity}};
        owner_id = splits->text(11);
      } else if (!splits->text(13).empty()) {
        link = {{"type", "PaymentOnAccount"}, {"amount", -applied}};
        if (!splits->is_null(12)) {
          owner_id = splits->text(12);
        }
      } else {
        link = {{"type", "Unlinked"}, {"amount", -applied}};
      }
      lines.push_back({{"amount", applied},
                       {"allocatedOnDate", date},
                       {"links", nlohmann::json::array({std::move(link)})}});
      total += applied;
    }
    const bool ok = splits->ok();
    splits->reset();
    if (!ok) {
      return step_error(ctx, *splits, "payment " + id);
    }
    nlohmann::json record{{"id", id},
                          {"accountRef", account},
                          {"totalAmount", total},
                          {"currency", currency},
                          {"date", date},
                          {"note", text_or_null(memo.empty() ? payments->text(3) : memo)},
                          {"reference", text_or_null(payments->text(1))},
                          {"lines", std::move(lines)}};
    std::string owner_name;
    if (!owner_id.empty()) {
      owner->bind(1, owner_id);
      if (owner->step()) {
        owner_name = owner->text(0);
      }
      owner->reset();
    }
    if (bill_payments) {
      record["supplierRef"] =
          owner_id.empty() ? nlohmann::json() : model::supplier_ref(owner_id, owner_name);
    } else {
      record["customerRef"] =
          owner_id.empty() ? nlohmann::json() : model::customer_ref(owner_id, owner_name);
    }
    if (auto emitted = ctx.emit(std::move(record)); !emitted) {
      return emitted;
    }
  }
  return payments->ok() ? ReadResult<void>{} : step_error(ctx, *payments, "payments");
}

}  // namespace bookbridge::readers::gnucash
