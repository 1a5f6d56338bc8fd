#pragma once

// Minimal RAII over sqlite3 for the GnuCash reader's staging database: a connection, prepared
// statements with typed column access, errors as ReadError values.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/decimal.h"
#include "readers/reader.h"

namespace bookbridge::readers::gnucash {

class Db {
 public:
  Db() = default;
  /// Opens `uri_or_path` with sqlite3_open_v2 flags.
  static ReadResult<Db> open(const std::string& uri_or_path, int flags);

  sqlite3* get() const { return db_.get(); }
  explicit operator bool() const { return db_ != nullptr; }
  /// Runs one or more statements without results.
  ReadResult<void> exec(std::string_view sql, ReadErrc code = ReadErrc::internal);
  std::string last_error() const;

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Close> db_;
};

class Stmt {
 public:
  Stmt() = default;
  static ReadResult<Stmt> prepare(const Db& db, std::string_view sql,
                                  ReadErrc code = ReadErrc::internal);

  Stmt& bind(int index, std::string_view text);
  Stmt& bind(int index, std::int64_t value);
  Stmt& bind_double(int index, double value);
  Stmt& bind_null(int index);
  /// Steps once: true when a row is available; false when done or failed (see ok()).
  bool step();
  /// Runs to completion (for INSERT/UPDATE); resets for reuse.
  ReadResult<void> run();
  void reset();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  /// num/denom columns read as an exact decimal (see model/decimal.h for other denominators).
  model::Decimal rational(int num_column, int denom_column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
  std::string error_;
};

}  // namespace bookbridge::readers::gnucash
