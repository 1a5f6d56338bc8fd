#pragma once

// The hub's SQLite database: a small pool of connections (one per concurrently working thread;
// WAL lets readers run beside the single writer) and the versioned schema migrations.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "store/sqlite.h"

namespace bookbridge::hub::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// Every migration, in order. Never edit a released one; append a new one.
const std::vector<Migration>& migrations();

class Database {
 public:
  /// Opens or creates `file` and applies pending migrations (each in its own transaction).
  /// Throws StoreError / std::runtime_error (startup only), e.g. when the file was written by a
  /// newer hub.
  explicit Database(std::filesystem::path file);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// A pooled connection, returned to the pool when the Lease goes away.
  class Lease {
   public:
    Lease(Database& db, std::unique_ptr<Connection> connection)
        : db_(&db), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Database* db_;
    std::unique_ptr<Connection> connection_;
  };

  Lease acquire();
  int schema_version();
  const std::filesystem::path& file() const { return file_; }

 private:
  void migrate();

  std::filesystem::path file_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace bookbridge::hub::store
