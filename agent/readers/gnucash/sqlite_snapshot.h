#pragma once

// Fetching a SQLite book: a page-by-page copy of the book into the staging database with the
// sqlite3 backup API. The book is opened read-only through a `file:...?mode=ro` URI; GnuCash's
// lock (the gnclock row) is neither taken nor broken. If GnuCash writes during the copy, SQLite
// restarts the copy, so the result is always one consistent state of the book.

#include <chrono>
#include <filesystem>

#include "readers/gnucash/sqlite_db.h"

namespace bookbridge::readers::gnucash {

struct SqliteCopyOptions {
  /// How long to keep retrying while the book is locked by a writer (SQLITE_BUSY).
  std::chrono::milliseconds busy_deadline{15000};
};

/// Copies `book` into `staging` (an open, empty database).
ReadResult<void> copy_sqlite_book(const std::filesystem::path& book, Db& staging,
                                  ReadContext& context, const SqliteCopyOptions& options = {});

/// "file:" URI for a path, percent-encoding what URIs reserve.
std::string sqlite_readonly_uri(const std::filesystem::path& path);

}  // namespace bookbridge::readers::gnucash
