#include "state/sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace bookbridge::agent::state {
namespace {

class SqliteCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "sqlite"; }
  std::string message(int rc) const override { return sqlite3_errstr(rc); }
};

}  // namespace

const std::error_category& sqlite_category() {
  static const SqliteCategory category;
  return category;
}

std::error_code make_sqlite_error(int rc) {
  return {rc, sqlite_category()};
}

Connection::~Connection() {
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
  }
}

Connection::Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) {
      sqlite3_close_v2(db_);
    }
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

std::error_code Connection::open(const std::filesystem::path& file, bool create, bool read_only) {
  int flags = SQLITE_OPEN_FULLMUTEX;
  if (read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.string().c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(db);
    return make_sqlite_error(rc);
  }
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
  }
  db_ = db;
  sqlite3_extended_result_codes(db_, 1);
  // A concurrent `status` process or a second connection may hold a lock briefly.
  sqlite3_busy_timeout(db_, 5000);
  return {};
}

std::error_code Connection::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? std::error_code{} : make_sqlite_error(rc);
}

std::string Connection::last_message() const {
  return db_ != nullptr ? sqlite3_errmsg(db_) : "database not open";
}

int Connection::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(const Connection& connection, std::string_view sql) {
  const int rc = sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                                    &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    prepare_error_ = make_sqlite_error(rc);
    error_ = prepare_error_;
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (stmt_ != nullptr) {
    // An empty view may have a null data(); SQLite would bind NULL instead of ''.
    sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (stmt_ != nullptr) {
    sqlite3_bind_int64(stmt_, index, value);
  }
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (stmt_ != nullptr) {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (stmt_ != nullptr) {
    sqlite3_bind_null(stmt_, index);
  }
  return *this;
}

bool Statement::step() {
  if (stmt_ == nullptr) {
    return false;
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc != SQLITE_DONE) {
    error_ = make_sqlite_error(rc);
  }
  return false;
}

std::error_code Statement::run() {
  if (stmt_ == nullptr) {
    return prepare_error_;
  }
  while (step()) {
  }
  return error_;
}

void Statement::reset() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  error_ = prepare_error_;
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data != nullptr ? std::string(static_cast<const char*>(data), size) : std::string();
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  begin_error_ = connection_.exec("BEGIN IMMEDIATE");
  done_ = static_cast<bool>(begin_error_);
}

Transaction::~Transaction() {
  if (!done_) {
    connection_.exec("ROLLBACK");
  }
}

std::error_code Transaction::commit() {
  if (done_) {
    return begin_error_ ? begin_error_ : make_sqlite_error(SQLITE_MISUSE);
  }
  done_ = true;
  auto ec = connection_.exec("COMMIT");
  if (ec) {
    connection_.exec("ROLLBACK");
  }
  return ec;
}

}  // namespace bookbridge::agent::state
