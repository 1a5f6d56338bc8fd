#include "readers/gnucash/staging_schema.h"

#include <array>
#include <string_view>

namespace bookbridge::readers::gnucash {
namespace {

constexpr std::string_view kTables = R"sql(
CREATE TABLE books(guid text PRIMARY KEY, root_account_guid text, root_template_guid text);
CREATE TABLE commodities(guid text PRIMARY KEY, namespace text, mnemonic text, fullname text,
  cusip text, fraction integer);
CREATE TABLE accounts(guid text PRIMARY KEY, name text, account_type text, commodity_guid text,
  commodity_scu integer, non_std_scu integer, parent_guid text, code text, description text,
  hidden integer, placeholder integer);
CREATE TABLE prices(guid text PRIMARY KEY, commodity_guid text, currency_guid text, date text,
  source text, type text, value_num bigint, value_denom bigint);
CREATE TABLE transactions(guid text PRIMARY KEY, currency_guid text, num text, post_date text,
  enter_date text, description text);
CREATE TABLE splits(guid text PRIMARY KEY, tx_guid text, account_guid text, memo text,
  action text, reconcile_state text, reconcile_date text, value_num bigint, value_denom bigint,
  quantity_num bigint, quantity_denom bigint, lot_guid text);
CREATE TABLE slots(id integer PRIMARY KEY AUTOINCREMENT, obj_guid text, name text,
  slot_type integer, int64_val bigint, string_val text, double_val float8, timespec_val text,
  guid_val text, numeric_val_num bigint, numeric_val_denom bigint, gdate_val text);
CREATE TABLE lots(guid text PRIMARY KEY, account_guid text, is_closed integer);
CREATE TABLE customers(guid text PRIMARY KEY, name text, id text, notes text, active integer,
  discount_num bigint, discount_denom bigint, credit_num bigint, credit_denom bigint,
  currency text, tax_override integer, addr_name text, addr_addr1 text, addr_addr2 text,
  addr_addr3 text, addr_addr4 text, addr_phone text, addr_fax text, addr_email text,
  shipaddr_name text, shipaddr_addr1 text, shipaddr_addr2 text, shipaddr_addr3 text,
  shipaddr_addr4 text, shipaddr_phone text, shipaddr_fax text, shipaddr_email text, terms text,
  tax_included integer, taxtable text);
CREATE TABLE vendors(guid text PRIMARY KEY, name text, id text, notes text, currency text,
  active integer, tax_override integer, addr_name text, addr_addr1 text, addr_addr2 text,
  addr_addr3 text, addr_addr4 text, addr_phone text, addr_fax text, addr_email text, terms text,
  tax_inc text, tax_table text);
CREATE TABLE jobs(guid text PRIMARY KEY, id text, name text, reference text, active integer,
  owner_type integer, owner_guid text);
CREATE TABLE invoices(guid text PRIMARY KEY, id text, date_opened text, date_posted text,
  notes text, active integer, currency text, owner_type integer, owner_guid text, terms text,
  billing_id text, post_txn text, post_lot text, post_acc text, billto_type integer,
  billto_guid text, charge_amt_num bigint, charge_amt_denom bigint);
CREATE TABLE entries(guid text PRIMARY KEY, date text, date_entered text, description text,
  action text, notes text, quantity_num bigint, quantity_denom bigint, i_acct text,
  i_price_num bigint, i_price_denom bigint, i_discount_num bigint, i_discount_denom bigint,
  invoice text, i_disc_type text, i_disc_how text, i_taxable integer, i_taxincluded integer,
  i_taxtable text, b_acct text, b_price_num bigint, b_price_denom bigint, bill text,
  b_taxable integer, b_taxincluded integer, b_taxtable text, b_paytype integer,
  billable integer, billto_type integer, billto_guid text, order_guid text);
CREATE TABLE taxtables(guid text PRIMARY KEY, name text, refcount bigint, invisible integer,
  parent text);
CREATE TABLE taxtable_entries(id integer PRIMARY KEY AUTOINCREMENT, taxtable text, account text,
  amount_num bigint, amount_denom bigint, type integer);
)sql";

constexpr std::array kRequired{
    "books",    "commodities", "accounts",  "transactions",     "splits",
    "slots",    "lots",        "customers", "vendors",          "jobs",
    "invoices", "entries",     "taxtables", "taxtable_entries", "prices"};

// Shared derived tables. Slots: GnuCash stores a KVP frame as a row whose guid_val is the
// obj_guid of its children, names carrying the full path; bb_slots maps every leaf to the object
// that owns the top frame. Template transactions (scheduled transactions) use accounts outside
// the real tree and are skipped everywhere.
constexpr std::string_view kPrepare = R"sql(
CREATE INDEX IF NOT EXISTS bb_slots_guid_val ON slots(guid_val);
CREATE INDEX IF NOT EXISTS bb_slots_obj ON slots(obj_guid);
CREATE TABLE bb_slots AS
  WITH RECURSIVE flat(id, top, depth) AS (
    SELECT s.id, s.obj_guid, 0 FROM slots s
     WHERE NOT EXISTS (SELECT 1 FROM slots f WHERE f.slot_type = 9 AND f.guid_val = s.obj_guid)
    UNION ALL
    SELECT c.id, flat.top, flat.depth + 1 FROM flat
      JOIN slots f ON f.id = flat.id AND f.slot_type = 9
      JOIN slots c ON c.obj_guid = f.guid_val
     WHERE flat.depth < 32)
  SELECT flat.top AS obj_guid, s.name, s.slot_type, s.int64_val, s.string_val, s.timespec_val,
         s.guid_val, s.numeric_val_num, s.numeric_val_denom, s.gdate_val
    FROM flat JOIN slots s ON s.id = flat.id WHERE s.slot_type != 9;
CREATE INDEX bb_slots_obj_name ON bb_slots(obj_guid, name);

CREATE TABLE bb_accounts AS
  WITH RECURSIVE tree(guid, full_name, depth) AS (
    SELECT a.guid, a.name, 1 FROM accounts a
      JOIN books b ON a.parent_guid = b.root_account_guid
    UNION ALL
    SELECT c.guid, t.full_name || ':' || c.name, t.depth + 1 FROM accounts c
      JOIN tree t ON c.parent_guid = t.guid WHERE t.depth < 64)
  SELECT a.guid, a.name, a.account_type, a.parent_guid, a.code, a.description, t.full_name,
         t.depth, COALESCE(cm.mnemonic, '') AS commodity,
         COALESCE(cm.namespace, '') AS commodity_space,
         (COALESCE(a.hidden, 0) != 0 OR EXISTS (SELECT 1 FROM bb_slots h
            WHERE h.obj_guid = a.guid AND h.name = 'hidden' AND h.string_val = 'true'))
           AS is_hidden,
         (COALESCE(a.placeholder, 0) != 0 OR EXISTS (SELECT 1 FROM bb_slots p
            WHERE p.obj_guid = a.guid AND p.name = 'placeholder' AND p.string_val = 'true'))
           AS is_placeholder
    FROM tree t JOIN accounts a ON a.guid = t.guid
    LEFT JOIN commodities cm ON cm.guid = a.commodity_guid;
CREATE UNIQUE INDEX bb_accounts_guid ON bb_accounts(guid);

CREATE INDEX IF NOT EXISTS bb_splits_tx ON splits(tx_guid);
CREATE INDEX IF NOT EXISTS bb_splits_account ON splits(account_guid);
CREATE INDEX IF NOT EXISTS bb_splits_lot ON splits(lot_guid);
CREATE INDEX IF NOT EXISTS bb_invoices_post_txn ON invoices(post_txn);
CREATE INDEX IF NOT EXISTS bb_invoices_post_lot ON invoices(post_lot);
CREATE INDEX IF NOT EXISTS bb_entries_invoice ON entries(invoice);
CREATE INDEX IF NOT EXISTS bb_entries_bill ON entries(bill);
CREATE INDEX IF NOT EXISTS bb_tte_table ON taxtable_entries(taxtable);
CREATE INDEX IF NOT EXISTS bb_prices_pair ON prices(commodity_guid, currency_guid, date);

CREATE TABLE bb_template_tx AS
  SELECT DISTINCT s.tx_guid AS guid FROM splits s
   WHERE NOT EXISTS (SELECT 1 FROM bb_accounts a WHERE a.guid = s.account_guid);
CREATE UNIQUE INDEX bb_template_tx_guid ON bb_template_tx(guid);

-- Who a business document belongs to: customer (2) or vendor (4), through a job (3) if needed.
CREATE TABLE bb_documents AS
  SELECT i.guid, i.id, i.post_txn, i.post_lot, i.post_acc, i.currency,
         CASE WHEN i.owner_type = 3 THEN j.owner_type ELSE i.owner_type END AS kind,
         CASE WHEN i.owner_type = 3 THEN j.owner_guid ELSE i.owner_guid END AS owner_guid,
         EXISTS (SELECT 1 FROM bb_slots c WHERE c.obj_guid = i.guid AND c.name = 'credit-note'
                   AND c.int64_val != 0) AS is_credit_note
    FROM invoices i LEFT JOIN jobs j ON i.owner_type = 3 AND j.guid = i.owner_guid;
CREATE UNIQUE INDEX bb_documents_guid ON bb_documents(guid);
CREATE INDEX bb_documents_lot ON bb_documents(post_lot);
CREATE INDEX bb_documents_txn ON bb_documents(post_txn);
ANALYZE;
)sql";

}  // namespace

ReadResult<void> create_gnucash_tables(Db& db) {
  return db.exec(kTables);
}

ReadResult<void> check_gnucash_tables(Db& db, const std::string& book_name) {
  for (const char* table : kRequired) {
    auto stmt = Stmt::prepare(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    if (!stmt) {
      return stmt.error();
    }
    stmt->bind(1, std::string_view(table));
    if (!stmt->step()) {
      return ReadError{
          ReadErrc::source_corrupt,
          book_name + " is a SQLite database but not a GnuCash book (no table '" + table + "')",
          ""};
    }
  }
  auto books = Stmt::prepare(db, "SELECT count(*) FROM books");
  if (!books || !books->step() || books->integer(0) != 1) {
    return ReadError{ReadErrc::source_corrupt,
                     book_name + " holds no book (the 'books' table must have one row)", ""};
  }
  return {};
}

ReadResult<void> prepare_staging(Db& db) {
  if (auto done = db.exec("BEGIN"); !done) {
    return done;
  }
  if (auto done = db.exec(kPrepare); !done) {
    db.exec("ROLLBACK");
    return done;
  }
  return db.exec("COMMIT");
}

ReadResult<void> configure_staging(Db& db) {
  return db.exec(
      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; "
      "PRAGMA cache_size=-16384;");
}

}  // namespace bookbridge::readers::gnucash
