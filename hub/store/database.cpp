#include "store/database.h"

#include <stdexcept>
#include <string>

namespace bookbridge::hub::store {

Database::Database(std::filesystem::path file) : file_(std::move(file)) {
  migrate();
}

Database::~Database() = default;

Database::Lease::~Lease() {
  if (connection_) {
    std::lock_guard lock(db_->mutex_);
    db_->idle_.push_back(std::move(connection_));
  }
}

Database::Lease Database::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<Connection>(file_));
}

int Database::schema_version() {
  auto db = acquire();
  auto stmt = db->prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  stmt.step();
  return static_cast<int>(stmt.int64(0));
}

void Database::migrate() {
  auto db = acquire();
  db->exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
  const int current = schema_version();
  const int known = migrations().empty() ? 0 : migrations().back().version;
  if (current > known) {
    throw std::runtime_error("database " + file_.string() + " has schema version " +
                             std::to_string(current) +
                             " but this bookbridge-hub knows only up to " + std::to_string(known) +
                             "; run a newer bookbridge-hub");
  }
  for (const auto& migration : migrations()) {
    if (migration.version <= current) {
      continue;
    }
    Transaction txn(*db);
    db->exec(migration.sql);
    db->prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
        .bind_all(migration.version, migration.name)
        .run();
    txn.commit();
  }
}

}  // namespace bookbridge::hub::store
