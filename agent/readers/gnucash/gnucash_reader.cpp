#include "readers/gnucash/gnucash_reader.h"

#include "readers/gnucash/map_common.h"
#include "readers/gnucash/sqlite_snapshot.h"
#include "readers/gnucash/staging_schema.h"
#include "readers/gnucash/xml_snapshot.h"

namespace bookbridge::readers::gnucash {
namespace {

// The book's currency. GnuCash 4 stores none (reports use the user's preference), so: the "Book
// Currency" option when set, else the root account's commodity when it is a currency, else the
// currency most accounts use, else the one most transactions use; XXX for an empty book.
std::string choose_base_currency(Db& db) {
  static constexpr std::string_view kQueries[] = {
      "SELECT s.string_val FROM bb_slots s JOIN books b ON s.obj_guid = b.guid "
      "WHERE s.name = 'options/Accounts/Book Currency' AND length(s.string_val) = 3",
      "SELECT c.mnemonic FROM books b JOIN accounts a ON a.guid = b.root_account_guid "
      "JOIN commodities c ON c.guid = a.commodity_guid WHERE c.namespace IN ('CURRENCY', "
      "'ISO4217')",
      "SELECT commodity FROM bb_accounts WHERE commodity_space IN ('CURRENCY', 'ISO4217') "
      "GROUP BY commodity ORDER BY count(*) DESC, commodity LIMIT 1",
      "SELECT c.mnemonic FROM transactions t JOIN commodities c ON c.guid = t.currency_guid "
      "WHERE c.namespace IN ('CURRENCY', 'ISO4217') GROUP BY c.mnemonic "
      "ORDER BY count(*) DESC, c.mnemonic LIMIT 1",
  };
  for (const auto sql : kQueries) {
    auto stmt = Stmt::prepare(db, sql);
    if (stmt && stmt->step() && !stmt->text(0).empty()) {
      return stmt->text(0);
    }
  }
  return "XXX";
}

}  // namespace

bool GnuCashReader::supports(model::DataType type) const {
  return type != model::DataType::items;  // GnuCash has no item/product list
}

ReadResult<SnapshotPtr> GnuCashReader::fetch(const std::filesystem::path& work_dir,
                                             ReadContext& context) {
  const auto format = detect_format(config_.path);
  if (!format) {
    return format.error();
  }
  auto snapshot = std::make_unique<BookSnapshot>();
  snapshot->book = config_.path;
  snapshot->format = *format;
  const auto staging_path = work_dir / "gnucash-staging.sqlite";
  std::error_code ec;
  std::filesystem::remove(staging_path, ec);
  auto db = Db::open(staging_path.string(),
                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!db) {
    return ReadError{
        ReadErrc::internal,
        "cannot create the staging database " + staging_path.string() + ": " + db.error().message,
        ""};
  }
  snapshot->db = std::move(*db);
  if (auto configured = configure_staging(snapshot->db); !configured) {
    return configured.error();
  }
  const std::string book_name = "GnuCash book " + config_.path.string();
  if (*format == BookFormat::sqlite) {
    if (auto copied = copy_sqlite_book(config_.path, snapshot->db, context); !copied) {
      return copied.error();
    }
    if (auto configured = configure_staging(snapshot->db); !configured) {
      return configured.error();
    }
  } else if (auto loaded = load_xml_book(config_.path, *format, snapshot->db, context); !loaded) {
    return loaded.error();
  }
  if (auto checked = check_gnucash_tables(snapshot->db, book_name); !checked) {
    return checked.error();
  }
  if (auto prepared = prepare_staging(snapshot->db); !prepared) {
    // Our own statements over a copy that passed the integrity check: a damaged book.
    return ReadError{ReadErrc::source_corrupt,
                     book_name + " cannot be read: " + prepared.error().message, ""};
  }
  if (context.cancelled()) {
    return ReadError{ReadErrc::cancelled, "cancelled while reading " + book_name, ""};
  }
  snapshot->base_currency = choose_base_currency(snapshot->db);
  if (auto guid = Stmt::prepare(snapshot->db, "SELECT guid FROM books"); guid && guid->step()) {
    snapshot->book_guid = guid->text(0);
  }
  return SnapshotPtr(std::move(snapshot));
}

ReadResult<void> GnuCashReader::map(Snapshot& snapshot, model::DataType type, RecordSink& sink,
                                    ReadContext& context) {
  auto* book = dynamic_cast<BookSnapshot*>(&snapshot);
  if (book == nullptr || !book->db) {
    return ReadError{ReadErrc::internal, "the snapshot was not made by the gnucash reader", ""};
  }
  MapContext ctx(*book, sink, context);
  using enum model::DataType;
  switch (type) {
    case company:
      return map_company(ctx);
    case chart_of_accounts:
      return map_accounts(ctx);
    case customers:
      return map_contacts(ctx, true);
    case suppliers:
      return map_contacts(ctx, false);
    case invoices:
    case bills:
    case credit_notes:
      return map_documents(ctx, type);
    case payments:
      return map_payments(ctx, false);
    case bill_payments:
      return map_payments(ctx, true);
    case journal_entries:
      return map_journal_entries(ctx);
    case tax_rates:
      return map_tax_rates(ctx);
    case balance_sheet:
      return map_balance_sheet(ctx);
    case profit_and_loss:
      return map_profit_and_loss(ctx);
    case items:
      break;
  }
  return ReadError{ReadErrc::not_supported,
                   "GnuCash has no " + std::string(model::to_key(type)) +
                       " (it keeps no product or service list)",
                   ""};
}

}  // namespace bookbridge::readers::gnucash
