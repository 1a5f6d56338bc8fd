#pragma once

// The staging database: a private SQLite file in the dataset's work directory holding GnuCash's
// own SQL schema. A SQLite book is copied into it page by page (sqlite_snapshot); an XML book is
// parsed into the same tables (xml_snapshot). Mapping then runs one set of queries for both.

#include "readers/gnucash/sqlite_db.h"

namespace bookbridge::readers::gnucash {

/// GnuCash's tables (the subset the mapping reads), without GnuCash's NOT NULL constraints since
/// XML books may omit elements. Used for XML books only.
ReadResult<void> create_gnucash_tables(Db& db);

/// Checks that the tables mapping needs exist (a SQLite file that is not a GnuCash book fails
/// here with source_corrupt).
ReadResult<void> check_gnucash_tables(Db& db, const std::string& book_name);

/// Derived tables and indexes both kinds share (bb_*): flattened slots, the account tree with
/// full names, template transactions to skip, lot owners. Runs once per snapshot.
ReadResult<void> prepare_staging(Db& db);

/// Sets the pragmas for a private, disposable database (no journal, no fsync).
ReadResult<void> configure_staging(Db& db);

}  // namespace bookbridge::readers::gnucash
