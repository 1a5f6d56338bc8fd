#pragma once

// The agent's local state: <stateDir>/agent.db (SQLite, WAL). It remembers every claimed
// dataset (lease, phase reached), the spooled pages of each (store-then-forward: deleted only
// once the hub acknowledged the commit), the last result per source and data type, and the
// presence of each source as last seen by the running agent (read by `status`).
//
// Thread-safe: one connection, every call serialised by a mutex.

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "state/sqlite.h"

namespace bookbridge::agent::state {

template <class T>
using StateResult = boost::system::result<T, std::error_code>;

/// How far the agent got with a dataset (local view; the hub has its own status).
enum class Phase {
  claimed,     ///< lease taken, nothing done yet
  fetching,    ///< reader.fetch() running
  mapping,     ///< reader.map() writing spool pages
  validating,  ///< spool complete, being validated
  uploading,   ///< validated: spool is final, pages are being uploaded
  committing,  ///< every page uploaded, commit sent
};
std::string_view to_string(Phase phase);
std::optional<Phase> phase_from_string(std::string_view text);
/// True when the spool is final and the dataset can resume with its upload after a restart.
bool spool_is_final(Phase phase);

struct DatasetRow {
  std::string id;
  std::string source;
  std::string data_type;  ///< Codat key
  std::string company_id;
  std::string lease_id;
  int attempt = 1;
  Phase phase = Phase::claimed;
  std::string hub_status = "Queued";  ///< last status the hub acknowledged
  int progress = 0;
  std::string started;  ///< ISO 8601 UTC
  std::string updated;
  std::int64_t page_count = 0;
  std::int64_t record_count = 0;
  std::string validation;  ///< JSON ValidationResult to send with the commit ("" until known)
};

struct SpoolPage {
  std::int64_t number = 0;
  std::int64_t records = 0;
  std::string sha256;  ///< hex SHA-256 of the uncompressed NDJSON
  std::string body;    ///< zstd-compressed NDJSON
};

struct ResultRow {
  std::string source;
  std::string data_type;
  std::string dataset_id;
  std::string status;  ///< "Complete", "FetchError", "Released", "LeaseLost", ...
  std::string message;
  std::int64_t record_count = 0;
  std::int64_t page_count = 0;
  double seconds = 0;
  std::string finished;  ///< ISO 8601 UTC
};

struct PresenceRow {
  std::string source;
  bool online = false;
  std::string transport;     ///< "websocket", "poll" or ""
  std::string last_contact;  ///< ISO 8601 UTC of the last successful exchange with the hub
  std::string message;       ///< why offline / what to do ("" when fine)
  std::string updated;
};

/// Current UTC time as "2026-11-28T12:00:00Z".
std::string utc_now();

class StateDb;
using StateDbPtr = std::unique_ptr<StateDb>;

class StateDb {
 public:
  /// Opens or creates <state_dir>/agent.db and applies pending migrations.
  static StateResult<StateDbPtr> open(const std::filesystem::path& state_dir);
  /// Opens an existing agent.db read-only (for `status`); error when it does not exist.
  static StateResult<StateDbPtr> open_read_only(const std::filesystem::path& state_dir);
  static std::filesystem::path file_in(const std::filesystem::path& state_dir);

  /// Schema version reached (PRAGMA user_version).
  int schema_version();

  // Datasets
  /// Records a fresh claim; forgets any earlier row and spool of the same dataset id.
  std::error_code begin_dataset(const DatasetRow& row);
  std::error_code set_phase(std::string_view id, Phase phase);
  std::error_code set_hub_status(std::string_view id, std::string_view status, int progress);
  /// The spool is final: counts and the validation result to commit with.
  std::error_code set_spool_final(std::string_view id, std::int64_t pages, std::int64_t records,
                                  std::string_view validation_json);
  StateResult<std::optional<DatasetRow>> dataset(std::string_view id);
  /// Every remembered dataset (of `source` when not empty), oldest first.
  StateResult<std::vector<DatasetRow>> datasets(std::string_view source = {});
  /// Forgets the dataset and its spool (one transaction).
  std::error_code delete_dataset(std::string_view id);

  // Spool
  std::error_code put_page(std::string_view dataset_id, const SpoolPage& page);
  StateResult<std::optional<SpoolPage>> page(std::string_view dataset_id, std::int64_t number);
  std::error_code clear_spool(std::string_view dataset_id);
  StateResult<std::int64_t> spool_bytes(std::string_view dataset_id);

  // Results and presence
  std::error_code put_result(const ResultRow& row);
  StateResult<std::vector<ResultRow>> results(std::string_view source = {});
  std::error_code put_presence(const PresenceRow& row);
  StateResult<std::vector<PresenceRow>> presence();

  // Source identity (Snapshot::identity()), remembered per link after the first success
  std::error_code put_identity(std::string_view source, std::string_view link_key,
                               std::string_view identity);
  /// The identity remembered for `source` under this link, if any.
  StateResult<std::optional<std::string>> identity(std::string_view source,
                                                   std::string_view link_key);

 private:
  explicit StateDb(Connection connection) : db_(std::move(connection)) {}
  std::error_code migrate();

  std::mutex mutex_;
  Connection db_;
};

}  // namespace bookbridge::agent::state
