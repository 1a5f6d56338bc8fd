#pragma once

// A thin RAII layer over the SQLite C API for the agent's local state. Errors are values:
// SQLite result codes travel as std::error_code in the sqlite_category().

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

struct sqlite3;
struct sqlite3_stmt;

namespace bookbridge::agent::state {

/// Error category whose values are SQLite result codes (messages from sqlite3_errstr).
const std::error_category& sqlite_category();
std::error_code make_sqlite_error(int rc);

/// One open SQLite connection.
class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Opens (creating when `create`) the database file, with a busy timeout.
  std::error_code open(const std::filesystem::path& file, bool create, bool read_only = false);
  /// Runs one or more statements without results.
  std::error_code exec(std::string_view sql);
  sqlite3* handle() const { return db_; }
  /// The last error message of this connection (for logs).
  std::string last_message() const;
  int changes() const;

 private:
  sqlite3* db_ = nullptr;
};

/// A prepared statement. Bind parameters are 1-based as in SQLite.
class Statement {
 public:
  Statement(const Connection& connection, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// The error from preparing, if any.
  std::error_code prepare_error() const { return prepare_error_; }

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);

  /// Advances: true when a row is available, false when done (check `error()`).
  bool step();
  /// Runs a statement that returns no rows.
  std::error_code run();
  std::error_code error() const { return error_; }
  void reset();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::error_code prepare_error_;
  std::error_code error_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  std::error_code begin_error() const { return begin_error_; }
  std::error_code commit();

 private:
  Connection& connection_;
  std::error_code begin_error_;
  bool done_ = false;
};

}  // namespace bookbridge::agent::state
