#include "readers/gnucash/xml_fields.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace bookbridge::readers::gnucash::xml {
namespace {

using enum FieldKind;

constexpr std::array kBook{FieldSpec{"book:id", "guid", text}};

constexpr std::array kCommodity{
    FieldSpec{"cmdty:space", "namespace", text},      FieldSpec{"cmdty:id", "mnemonic", text},
    FieldSpec{"cmdty:name", "fullname", text},        FieldSpec{"cmdty:xcode", "cusip", text},
    FieldSpec{"cmdty:fraction", "fraction", integer},
};

constexpr std::array kPrice{
    FieldSpec{"price:id", "guid", text},
    FieldSpec{"price:commodity/cmdty:space", "commodity_guid", cmdty_space},
    FieldSpec{"price:commodity/cmdty:id", "commodity_guid", cmdty_id},
    FieldSpec{"price:currency/cmdty:space", "currency_guid", cmdty_space},
    FieldSpec{"price:currency/cmdty:id", "currency_guid", cmdty_id},
    FieldSpec{"price:time/ts:date", "date", timestamp},
    FieldSpec{"price:source", "source", text},
    FieldSpec{"price:type", "type", text},
    FieldSpec{"price:value", "value", numeric},
};

constexpr std::array kAccount{
    FieldSpec{"act:name", "name", text},
    FieldSpec{"act:id", "guid", text},
    FieldSpec{"act:type", "account_type", text},
    FieldSpec{"act:commodity/cmdty:space", "commodity_guid", cmdty_space},
    FieldSpec{"act:commodity/cmdty:id", "commodity_guid", cmdty_id},
    FieldSpec{"act:currency/cmdty:space", "commodity_guid", cmdty_space},  // GnuCash 1.x
    FieldSpec{"act:currency/cmdty:id", "commodity_guid", cmdty_id},
    FieldSpec{"act:commodity-scu", "commodity_scu", integer},
    FieldSpec{"act:non-standard-scu", "non_std_scu", presence},
    FieldSpec{"act:code", "code", text},
    FieldSpec{"act:description", "description", text},
    FieldSpec{"act:parent", "parent_guid", text},
    FieldSpec{"act:hidden", "hidden", integer},
    FieldSpec{"act:placeholder", "placeholder", integer},
};

constexpr std::array kLot{FieldSpec{"lot:id", "guid", text}};

constexpr std::array kTransaction{
    FieldSpec{"trn:id", "guid", text},
    FieldSpec{"trn:currency/cmdty:space", "currency_guid", cmdty_space},
    FieldSpec{"trn:currency/cmdty:id", "currency_guid", cmdty_id},
    FieldSpec{"trn:num", "num", text},
    FieldSpec{"trn:date-posted/ts:date", "post_date", timestamp},
    FieldSpec{"trn:date-entered/ts:date", "enter_date", timestamp},
    FieldSpec{"trn:description", "description", text},
};

constexpr std::array kSplit{
    FieldSpec{"split:id", "guid", text},
    FieldSpec{"split:memo", "memo", text},
    FieldSpec{"split:action", "action", text},
    FieldSpec{"split:reconciled-state", "reconcile_state", text},
    FieldSpec{"split:reconcile-date/ts:date", "reconcile_date", timestamp},
    FieldSpec{"split:value", "value", numeric},
    FieldSpec{"split:quantity", "quantity", numeric},
    FieldSpec{"split:account", "account_guid", text},
    FieldSpec{"split:lot", "lot_guid", text},
};

#define BOOKBRIDGE_ADDR(prefix, column)                              \
  FieldSpec{prefix "/addr:name", column "name", text},               \
      FieldSpec{prefix "/addr:addr1", column "addr1", text},         \
      FieldSpec{prefix "/addr:addr2", column "addr2", text},         \
      FieldSpec{prefix "/addr:addr3", column "addr3", text},         \
      FieldSpec{prefix "/addr:addr4", column "addr4", text},         \
      FieldSpec{prefix "/addr:phone", column "phone", text},         \
      FieldSpec{prefix "/addr:fax", column "fax", text}, FieldSpec { \
    prefix "/addr:email", column "email", text                       \
  }

constexpr std::array kCustomer{
    FieldSpec{"cust:guid", "guid", text},
    FieldSpec{"cust:name", "name", text},
    FieldSpec{"cust:id", "id", text},
    BOOKBRIDGE_ADDR("cust:addr", "addr_"),
    BOOKBRIDGE_ADDR("cust:shipaddr", "shipaddr_"),
    FieldSpec{"cust:notes", "notes", text},
    FieldSpec{"cust:terms", "terms", text},
    FieldSpec{"cust:taxincluded", "tax_included", tax_included},
    FieldSpec{"cust:active", "active", integer},
    FieldSpec{"cust:discount", "discount", numeric},
    FieldSpec{"cust:credit", "credit", numeric},
    FieldSpec{"cust:currency/cmdty:space", "currency", cmdty_space},
    FieldSpec{"cust:currency/cmdty:id", "currency", cmdty_id},
    FieldSpec{"cust:commodity/cmdty:space", "currency", cmdty_space},
    FieldSpec{"cust:commodity/cmdty:id", "currency", cmdty_id},
    FieldSpec{"cust:use-tt", "tax_override", integer},
    FieldSpec{"cust:taxtable", "taxtable", text},
};

constexpr std::array kVendor{
    FieldSpec{"vendor:guid", "guid", text},
    FieldSpec{"vendor:name", "name", text},
    FieldSpec{"vendor:id", "id", text},
    BOOKBRIDGE_ADDR("vendor:addr", "addr_"),
    FieldSpec{"vendor:notes", "notes", text},
    FieldSpec{"vendor:terms", "terms", text},
    FieldSpec{"vendor:taxincluded", "tax_inc", text},
    FieldSpec{"vendor:active", "active", integer},
    FieldSpec{"vendor:currency/cmdty:space", "currency", cmdty_space},
    FieldSpec{"vendor:currency/cmdty:id", "currency", cmdty_id},
    FieldSpec{"vendor:commodity/cmdty:space", "currency", cmdty_space},
    FieldSpec{"vendor:commodity/cmdty:id", "currency", cmdty_id},
    FieldSpec{"vendor:use-tt", "tax_override", integer},
    FieldSpec{"vendor:taxtable", "tax_table", text},
};

#undef BOOKBRIDGE_ADDR

constexpr std::array kJob{
    FieldSpec{"job:guid", "guid", text},
    FieldSpec{"job:id", "id", text},
    FieldSpec{"job:name", "name", text},
    FieldSpec{"job:reference", "reference", text},
    FieldSpec{"job:owner/owner:type", "owner_type", owner_type},
    FieldSpec{"job:owner/owner:id", "owner_guid", text},
    FieldSpec{"job:active", "active", integer},
};

constexpr std::array kInvoice{
    FieldSpec{"invoice:guid", "guid", text},
    FieldSpec{"invoice:id", "id", text},
    FieldSpec{"invoice:owner/owner:type", "owner_type", owner_type},
    FieldSpec{"invoice:owner/owner:id", "owner_guid", text},
    FieldSpec{"invoice:opened/ts:date", "date_opened", timestamp},
    FieldSpec{"invoice:posted/ts:date", "date_posted", timestamp},
    FieldSpec{"invoice:terms", "terms", text},
    FieldSpec{"invoice:billing_id", "billing_id", text},
    FieldSpec{"invoice:notes", "notes", text},
    FieldSpec{"invoice:active", "active", integer},
    FieldSpec{"invoice:posttxn", "post_txn", text},
    FieldSpec{"invoice:postlot", "post_lot", text},
    FieldSpec{"invoice:postacc", "post_acc", text},
    FieldSpec{"invoice:currency/cmdty:space", "currency", cmdty_space},
    FieldSpec{"invoice:currency/cmdty:id", "currency", cmdty_id},
    FieldSpec{"invoice:commodity/cmdty:space", "currency", cmdty_space},
    FieldSpec{"invoice:commodity/cmdty:id", "currency", cmdty_id},
    FieldSpec{"invoice:billto/owner:type", "billto_type", owner_type},
    FieldSpec{"invoice:billto/owner:id", "billto_guid", text},
    FieldSpec{"invoice:charge-amt", "charge_amt", numeric},
};

constexpr std::array kEntry{
    FieldSpec{"entry:guid", "guid", text},
    FieldSpec{"entry:date/ts:date", "date", timestamp},
    FieldSpec{"entry:entered/ts:date", "date_entered", timestamp},
    FieldSpec{"entry:description", "description", text},
    FieldSpec{"entry:action", "action", text},
    FieldSpec{"entry:notes", "notes", text},
    FieldSpec{"entry:qty", "quantity", numeric},
    FieldSpec{"entry:i-acct", "i_acct", text},
    FieldSpec{"entry:i-price", "i_price", numeric},
    FieldSpec{"entry:i-discount", "i_discount", numeric},
    FieldSpec{"entry:invoice", "invoice", text},
    FieldSpec{"entry:i-disc-type", "i_disc_type", text},
    FieldSpec{"entry:i-disc-how", "i_disc_how", text},
    FieldSpec{"entry:i-taxable", "i_taxable", integer},
    FieldSpec{"entry:i-taxincluded", "i_taxincluded", integer},
    FieldSpec{"entry:i-taxtable", "i_taxtable", text},
    FieldSpec{"entry:b-acct", "b_acct", text},
    FieldSpec{"entry:b-price", "b_price", numeric},
    FieldSpec{"entry:bill", "bill", text},
    FieldSpec{"entry:billable", "billable", integer},
    FieldSpec{"entry:billto/owner:type", "billto_type", owner_type},
    FieldSpec{"entry:billto/owner:id", "billto_guid", text},
    FieldSpec{"entry:b-taxable", "b_taxable", integer},
    FieldSpec{"entry:b-taxincluded", "b_taxincluded", integer},
    FieldSpec{"entry:b-pay", "b_paytype", pay_type},
    FieldSpec{"entry:b-taxtable", "b_taxtable", text},
    FieldSpec{"entry:order", "order_guid", text},
};

constexpr std::array kTaxTable{
    FieldSpec{"taxtable:guid", "guid", text},
    FieldSpec{"taxtable:name", "name", text},
    FieldSpec{"taxtable:refcount", "refcount", integer},
    FieldSpec{"taxtable:invisible", "invisible", integer},
    FieldSpec{"taxtable:parent", "parent", text},
};

constexpr std::array kTaxTableEntry{
    FieldSpec{"tte:acct", "account", text},
    FieldSpec{"tte:amount", "amount", numeric},
    FieldSpec{"tte:type", "type", amount_type},
};

template <std::size_t N>
constexpr ObjectSpec spec(std::string_view element, std::string_view table, std::string_view key,
                          std::string_view parent, const std::array<FieldSpec, N>& fields) {
  return ObjectSpec{element, table, key, parent, fields.data(), N};
}

const std::array kTopLevel{
    spec("gnc:commodity", "commodities", "guid", "", kCommodity),
    spec("price", "prices", "guid", "", kPrice),
    spec("gnc:account", "accounts", "guid", "", kAccount),
    spec("gnc:transaction", "transactions", "guid", "", kTransaction),
    spec("gnc:GncCustomer", "customers", "guid", "", kCustomer),
    spec("gnc:GncVendor", "vendors", "guid", "", kVendor),
    spec("gnc:GncJob", "jobs", "guid", "", kJob),
    spec("gnc:GncInvoice", "invoices", "guid", "", kInvoice),
    spec("gnc:GncEntry", "entries", "guid", "", kEntry),
    spec("gnc:GncTaxTable", "taxtables", "guid", "", kTaxTable),
};

const std::array kNested{
    spec("gnc:lot", "lots", "guid", "account_guid", kLot),
    spec("trn:split", "splits", "guid", "tx_guid", kSplit),
    spec("gnc:GncTaxTableEntry", "taxtable_entries", "", "taxtable", kTaxTableEntry),
};

const ObjectSpec kBookSpec = spec("gnc:book", "books", "guid", "", kBook);

}  // namespace

const ObjectSpec* top_level_object(std::string_view element) {
  const auto it = std::find_if(kTopLevel.begin(), kTopLevel.end(),
                               [&](const ObjectSpec& s) { return s.element == element; });
  return it == kTopLevel.end() ? nullptr : &*it;
}

const ObjectSpec* nested_object(std::string_view parent_table, std::string_view element) {
  for (const auto& nested : kNested) {
    if (nested.element != element) {
      continue;
    }
    if ((parent_table == "accounts" && nested.table == "lots") ||
        (parent_table == "transactions" && nested.table == "splits") ||
        (parent_table == "taxtables" && nested.table == "taxtable_entries")) {
      return &nested;
    }
  }
  return nullptr;
}

const ObjectSpec& book_object() {
  return kBookSpec;
}

bool is_skipped_element(std::string_view element) {
  static constexpr std::array<std::string_view, 7> kSkipped{
      "gnc:template-transactions", "gnc:schedxaction", "gnc:budget",    "gnc:GncBillTerm",
      "gnc:GncEmployee",           "gnc:GncOrder",     "gnc:recurrence"};
  return std::find(kSkipped.begin(), kSkipped.end(), element) != kSkipped.end();
}

int currency_fraction(std::string_view code) {
  // ISO 4217 minor units that are not 2 (GnuCash uses the same table for its currencies).
  static constexpr std::array<std::pair<std::string_view, int>, 26> kUnits{{
      {"BHD", 1000}, {"BIF", 1},    {"CLF", 10000}, {"CLP", 1}, {"DJF", 1}, {"GNF", 1},
      {"IQD", 1000}, {"ISK", 1},    {"JOD", 1000},  {"JPY", 1}, {"KMF", 1}, {"KRW", 1},
      {"KWD", 1000}, {"LYD", 1000}, {"OMR", 1000},  {"PYG", 1}, {"RWF", 1}, {"TND", 1000},
      {"UGX", 1},    {"UYI", 1},    {"UYW", 10000}, {"VND", 1}, {"VUV", 1}, {"XAF", 1},
      {"XOF", 1},    {"XPF", 1},
  }};
  for (const auto& [unit_code, fraction] : kUnits) {
    if (unit_code == code) {
      return fraction;
    }
  }
  return 100;
}

}  // namespace bookbridge::readers::gnucash::xml
