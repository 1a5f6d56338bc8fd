#include "state/state_db.h"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <ctime>

namespace bookbridge::agent::state {
namespace {

// Each entry moves the schema one version up; never edit a shipped entry, append a new one.
constexpr std::array<std::string_view, 1> kMigrations{R"sql(
CREATE TABLE datasets(
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  data_type TEXT NOT NULL,
  company_id TEXT NOT NULL DEFAULT '',
  lease_id TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 1,
  phase TEXT NOT NULL,
  hub_status TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  started TEXT NOT NULL,
  updated TEXT NOT NULL,
  page_count INTEGER NOT NULL DEFAULT 0,
  record_count INTEGER NOT NULL DEFAULT 0,
  validation TEXT NOT NULL DEFAULT '');
CREATE TABLE spool_pages(
  dataset_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  records INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY(dataset_id, number));
CREATE TABLE results(
  source TEXT NOT NULL,
  data_type TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  page_count INTEGER NOT NULL,
  millis INTEGER NOT NULL,
  finished TEXT NOT NULL,
  PRIMARY KEY(source, data_type));
CREATE TABLE presence(
  source TEXT PRIMARY KEY,
  online INTEGER NOT NULL,
  transport TEXT NOT NULL,
  last_contact TEXT NOT NULL,
  message TEXT NOT NULL,
  updated TEXT NOT NULL);
CREATE TABLE source_identity(
  source TEXT PRIMARY KEY,
  link_key TEXT NOT NULL,
  identity TEXT NOT NULL);
)sql"};

constexpr std::array<std::pair<Phase, std::string_view>, 6> kPhaseNames{{
    {Phase::claimed, "claimed"},
    {Phase::fetching, "fetching"},
    {Phase::mapping, "mapping"},
    {Phase::validating, "validating"},
    {Phase::uploading, "uploading"},
    {Phase::committing, "committing"},
}};

constexpr std::string_view kDatasetColumns =
    "id, source, data_type, company_id, lease_id, attempt, phase, hub_status, progress, started, "
    "updated, page_count, record_count, validation";

DatasetRow read_dataset(const Statement& s) {
  DatasetRow row;
  row.id = s.text(0);
  row.source = s.text(1);
  row.data_type = s.text(2);
  row.company_id = s.text(3);
  row.lease_id = s.text(4);
  row.attempt = static_cast<int>(s.integer(5));
  row.phase = phase_from_string(s.text(6)).value_or(Phase::claimed);
  row.hub_status = s.text(7);
  row.progress = static_cast<int>(s.integer(8));
  row.started = s.text(9);
  row.updated = s.text(10);
  row.page_count = s.integer(11);
  row.record_count = s.integer(12);
  row.validation = s.text(13);
  return row;
}

}  // namespace

std::string_view to_string(Phase phase) {
  for (const auto& [value, name] : kPhaseNames) {
    if (value == phase) {
      return name;
    }
  }
  return "claimed";
}

std::optional<Phase> phase_from_string(std::string_view text) {
  for (const auto& [value, name] : kPhaseNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

bool spool_is_final(Phase phase) {
  return phase == Phase::uploading || phase == Phase::committing;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
#ifdef _WIN32
  gmtime_s(&tm, &now);
#else
  gmtime_r(&now, &tm);
#endif
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::filesystem::path StateDb::file_in(const std::filesystem::path& state_dir) {
  return state_dir / "agent.db";
}

StateResult<StateDbPtr> StateDb::open(const std::filesystem::path& state_dir) {
  Connection connection;
  if (auto ec = connection.open(file_in(state_dir), true)) {
    return ec;
  }
  // WAL: readers (`status`) never block the running agent. NORMAL is durable across a process
  // crash (kill -9); a power loss can only cost spool pages that are re-read from the source.
  if (auto ec = connection.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                "PRAGMA foreign_keys=ON;")) {
    return ec;
  }
  StateDbPtr db(new StateDb(std::move(connection)));
  if (auto ec = db->migrate()) {
    return ec;
  }
  return db;
}

StateResult<StateDbPtr> StateDb::open_read_only(const std::filesystem::path& state_dir) {
  Connection connection;
  if (auto ec = connection.open(file_in(state_dir), false, true)) {
    return ec;
  }
  return StateDbPtr(new StateDb(std::move(connection)));
}

int StateDb::schema_version() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "PRAGMA user_version");
  return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

std::error_code StateDb::migrate() {
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  if (txn.begin_error()) {
    return txn.begin_error();
  }
  Statement version(db_, "PRAGMA user_version");
  const auto current = version.step() ? static_cast<std::size_t>(version.integer(0)) : 0;
  for (std::size_t v = current; v < kMigrations.size(); ++v) {
    if (auto ec = db_.exec(kMigrations[v])) {
      return ec;
    }
  }
  if (current < kMigrations.size()) {
    if (auto ec = db_.exec("PRAGMA user_version = " + std::to_string(kMigrations.size()))) {
      return ec;
    }
  }
  return txn.commit();
}

std::error_code StateDb::begin_dataset(const DatasetRow& row) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  if (txn.begin_error()) {
    return txn.begin_error();
  }
  Statement clear(db_, "DELETE FROM spool_pages WHERE dataset_id = ?1");
  if (auto ec = clear.bind(1, row.id).run()) {
    return ec;
  }
  Statement insert(db_, "INSERT OR REPLACE INTO datasets(" + std::string(kDatasetColumns) +
                            ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)");
  insert.bind(1, row.id).bind(2, row.source).bind(3, row.data_type).bind(4, row.company_id);
  insert.bind(5, row.lease_id).bind(6, static_cast<std::int64_t>(row.attempt));
  insert.bind(7, to_string(row.phase)).bind(8, row.hub_status);
  insert.bind(9, static_cast<std::int64_t>(row.progress)).bind(10, row.started);
  insert.bind(11, row.updated.empty() ? utc_now() : row.updated).bind(12, row.page_count);
  insert.bind(13, row.record_count).bind(14, row.validation);
  if (auto ec = insert.run()) {
    return ec;
  }
  return txn.commit();
}

std::error_code StateDb::set_phase(std::string_view id, Phase phase) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "UPDATE datasets SET phase = ?2, updated = ?3 WHERE id = ?1");
  return s.bind(1, id).bind(2, to_string(phase)).bind(3, utc_now()).run();
}

std::error_code StateDb::set_hub_status(std::string_view id, std::string_view status,
                                        int progress) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "UPDATE datasets SET hub_status = ?2, progress = ?3, updated = ?4 WHERE id = ?1");
  return s.bind(1, id)
      .bind(2, status)
      .bind(3, static_cast<std::int64_t>(progress))
      .bind(4, utc_now())
      .run();
}

std::error_code StateDb::set_spool_final(std::string_view id, std::int64_t pages,
                                         std::int64_t records, std::string_view validation_json) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "UPDATE datasets SET phase = 'uploading', page_count = ?2, record_count = ?3, "
              "validation = ?4, updated = ?5 WHERE id = ?1");
  return s.bind(1, id)
      .bind(2, pages)
      .bind(3, records)
      .bind(4, validation_json)
      .bind(5, utc_now())
      .run();
}

StateResult<std::optional<DatasetRow>> StateDb::dataset(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT " + std::string(kDatasetColumns) + " FROM datasets WHERE id = ?1");
  s.bind(1, id);
  if (s.step()) {
    return std::optional<DatasetRow>(read_dataset(s));
  }
  if (s.error()) {
    return s.error();
  }
  return std::optional<DatasetRow>();
}

StateResult<std::vector<DatasetRow>> StateDb::datasets(std::string_view source) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT " + std::string(kDatasetColumns) +
                       " FROM datasets WHERE ?1 = '' OR source = ?1 ORDER BY started, id");
  s.bind(1, source);
  std::vector<DatasetRow> rows;
  while (s.step()) {
    rows.push_back(read_dataset(s));
  }
  if (s.error()) {
    return s.error();
  }
  return rows;
}

std::error_code StateDb::delete_dataset(std::string_view id) {
  std::lock_guard lock(mutex_);
  Transaction txn(db_);
  if (txn.begin_error()) {
    return txn.begin_error();
  }
  Statement pages(db_, "DELETE FROM spool_pages WHERE dataset_id = ?1");
  if (auto ec = pages.bind(1, id).run()) {
    return ec;
  }
  Statement row(db_, "DELETE FROM datasets WHERE id = ?1");
  if (auto ec = row.bind(1, id).run()) {
    return ec;
  }
  return txn.commit();
}

std::error_code StateDb::put_page(std::string_view dataset_id, const SpoolPage& page) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT OR REPLACE INTO spool_pages(dataset_id, number, records, sha256, body) "
              "VALUES(?1, ?2, ?3, ?4, ?5)");
  return s.bind(1, dataset_id)
      .bind(2, page.number)
      .bind(3, page.records)
      .bind(4, page.sha256)
      .bind_blob(5, page.body)
      .run();
}

StateResult<std::optional<SpoolPage>> StateDb::page(std::string_view dataset_id,
                                                    std::int64_t number) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT number, records, sha256, body FROM spool_pages "
              "WHERE dataset_id = ?1 AND number = ?2");
  s.bind(1, dataset_id).bind(2, number);
  if (s.step()) {
    return std::optional<SpoolPage>(SpoolPage{s.integer(0), s.integer(1), s.text(2), s.text(3)});
  }
  if (s.error()) {
    return s.error();
  }
  return std::optional<SpoolPage>();
}

std::error_code StateDb::clear_spool(std::string_view dataset_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "DELETE FROM spool_pages WHERE dataset_id = ?1");
  return s.bind(1, dataset_id).run();
}

StateResult<std::int64_t> StateDb::spool_bytes(std::string_view dataset_id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT COALESCE(SUM(LENGTH(body)), 0) FROM spool_pages WHERE dataset_id = ?1");
  s.bind(1, dataset_id);
  if (s.step()) {
    return s.integer(0);
  }
  return s.error() ? s.error() : make_sqlite_error(SQLITE_ERROR);
}

std::error_code StateDb::put_result(const ResultRow& row) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT OR REPLACE INTO results(source, data_type, dataset_id, status, message, "
              "record_count, page_count, millis, finished) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  s.bind(1, row.source).bind(2, row.data_type).bind(3, row.dataset_id).bind(4, row.status);
  s.bind(5, row.message).bind(6, row.record_count).bind(7, row.page_count);
  s.bind(8, static_cast<std::int64_t>(row.seconds * 1000.0));
  s.bind(9, row.finished.empty() ? utc_now() : row.finished);
  return s.run();
}

StateResult<std::vector<ResultRow>> StateDb::results(std::string_view source) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT source, data_type, dataset_id, status, message, record_count, page_count, "
              "millis, finished FROM results WHERE ?1 = '' OR source = ?1 "
              "ORDER BY source, data_type");
  s.bind(1, source);
  std::vector<ResultRow> rows;
  while (s.step()) {
    rows.push_back(ResultRow{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5),
                             s.integer(6), static_cast<double>(s.integer(7)) / 1000.0, s.text(8)});
  }
  if (s.error()) {
    return s.error();
  }
  return rows;
}

std::error_code StateDb::put_presence(const PresenceRow& row) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT OR REPLACE INTO presence(source, online, transport, last_contact, message, "
              "updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, row.source).bind(2, static_cast<std::int64_t>(row.online ? 1 : 0));
  s.bind(3, row.transport).bind(4, row.last_contact).bind(5, row.message);
  s.bind(6, row.updated.empty() ? utc_now() : row.updated);
  return s.run();
}

StateResult<std::vector<PresenceRow>> StateDb::presence() {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT source, online, transport, last_contact, message, updated FROM presence "
              "ORDER BY source");
  std::vector<PresenceRow> rows;
  while (s.step()) {
    rows.push_back(
        PresenceRow{s.text(0), s.integer(1) != 0, s.text(2), s.text(3), s.text(4), s.text(5)});
  }
  if (s.error()) {
    return s.error();
  }
  return rows;
}

std::error_code StateDb::put_identity(std::string_view source, std::string_view link_key,
                                      std::string_view identity) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT OR REPLACE INTO source_identity(source, link_key, identity) "
              "VALUES(?1, ?2, ?3)");
  return s.bind(1, source).bind(2, link_key).bind(3, identity).run();
}

StateResult<std::optional<std::string>> StateDb::identity(std::string_view source,
                                                          std::string_view link_key) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT identity FROM source_identity WHERE source = ?1 AND link_key = ?2");
  s.bind(1, source).bind(2, link_key);
  if (s.step()) {
    return std::optional<std::string>(s.text(0));
  }
  if (s.error()) {
    return s.error();
  }
  return std::optional<std::string>();
}

}  // namespace bookbridge::agent::state
