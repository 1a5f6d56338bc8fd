#include "readers/gnucash/sqlite_db.h"

namespace bookbridge::readers::gnucash {

ReadResult<Db> Db::open(const std::string& uri_or_path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(uri_or_path.c_str(), &raw, flags, nullptr);
  Db db;
  db.db_.reset(raw);
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return ReadError{ReadErrc::source_unavailable, message, ""};
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

ReadResult<void> Db::exec(std::string_view sql, ReadErrc code) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return ReadError{code, text, ""};
  }
  return {};
}

std::string Db::last_error() const {
  return db_ ? sqlite3_errmsg(db_.get()) : "no database";
}

ReadResult<Stmt> Stmt::prepare(const Db& db, std::string_view sql, ReadErrc code) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return ReadError{code, db.last_error() + " (in: " + std::string(sql.substr(0, 80)) + ")", ""};
  }
  Stmt stmt;
  stmt.stmt_.reset(raw);
  return stmt;
}

Stmt& Stmt::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Stmt& Stmt::bind_double(int index, double value) {
  sqlite3_bind_double(stmt_.get(), index, value);
  return *this;
}

Stmt& Stmt::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc != SQLITE_DONE) {
    error_ = sqlite3_errmsg(sqlite3_db_handle(stmt_.get()));
  }
  return false;
}

ReadResult<void> Stmt::run() {
  while (step()) {
  }
  reset();
  if (!ok()) {
    return ReadError{ReadErrc::internal, error_, ""};
  }
  return {};
}

void Stmt::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Stmt::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Stmt::integer(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Stmt::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_.get(), column);
  if (data == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

std::optional<std::string> Stmt::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

model::Decimal Stmt::rational(int num_column, int denom_column) const {
  if (is_null(num_column)) {
    return model::Decimal{};
  }
  return model::Decimal::from_rational(integer(num_column), integer(denom_column));
}

}  // namespace bookbridge::readers::gnucash
