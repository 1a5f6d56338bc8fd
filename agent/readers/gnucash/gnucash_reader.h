#pragma once

// The GnuCash reader (registry name "gnucash", option `path`). Reads both storage kinds of a
// .gnucash book - SQLite and XML (gzip-compressed or plain), detected by content - read-only,
// without taking or breaking GnuCash's lock. See docs/readers.md for what maps to what.
//
// Fetching copies the book into a private staging SQLite database in the work directory (GnuCash's
// own SQL schema: page copy for SQLite books, streamed expat parse for XML books). Mapping runs
// the same SQL over that database for both kinds and streams one record at a time.

#include <filesystem>
#include <string>

#include "readers/gnucash/book_format.h"
#include "readers/gnucash/gnucash_config.h"
#include "readers/gnucash/sqlite_db.h"
#include "readers/reader.h"

namespace bookbridge::readers::gnucash {

/// The staging database of one fetch.
class BookSnapshot : public Snapshot {
 public:
  Db db;
  std::filesystem::path book;
  BookFormat format = BookFormat::sqlite;
  std::string base_currency = "XXX";  ///< ISO code; see docs/readers.md for how it is chosen
  std::string book_guid;              ///< the book's GUID: the same in both storage kinds

  std::string identity() const override { return book_guid; }
};

class GnuCashReader : public Reader {
 public:
  explicit GnuCashReader(GnuCashConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "gnucash"; }
  bool supports(model::DataType type) const override;
  ReadResult<SnapshotPtr> fetch(const std::filesystem::path& work_dir,
                                ReadContext& context) override;
  ReadResult<void> map(Snapshot& snapshot, model::DataType type, RecordSink& sink,
                       ReadContext& context) override;

  const GnuCashConfig& config() const { return config_; }

 private:
  GnuCashConfig config_;
};

}  // namespace bookbridge::readers::gnucash
