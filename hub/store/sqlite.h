#pragma once

// A thin RAII layer over the SQLite C API. SQLite failures here are unexpected (disk full,
// corruption, a bug in our SQL): they throw StoreError, and the HTTP layer answers 500 without
// applying anything (the enclosing Transaction rolls back).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace bookbridge::hub::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  ///< SQLite extended result code
  bool is_constraint() const;

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  // 1-based parameter indexes.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::nullopt_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  Statement& bind_blob(int index, std::string_view bytes);

  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  /// True when a row is available, false when done.
  bool step();
  /// Runs to completion (for statements without result rows).
  void run();
  void reset();

  bool is_null(int column) const;
  std::string text(int column) const;  ///< 0-based columns; "" for NULL
  std::optional<std::string> opt_text(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> opt_int64(int column) const;
  std::string_view blob(int column) const;  ///< valid until the next step

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  /// Opens (creating) the file with WAL, busy_timeout and foreign keys. Throws StoreError.
  explicit Connection(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t changes() const;

 private:
  sqlite3* db_ = nullptr;
};

/// BEGIN IMMEDIATE (writers take the lock up front, so no deadlocking lock upgrades);
/// rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace bookbridge::hub::store
