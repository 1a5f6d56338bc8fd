// Companies, connections, meta and sync settings. (Datasets and pages: dataset_repo.cpp.)
#include "store/repositories.h"

#include <stdexcept>

namespace bookbridge::hub::store {
namespace {

constexpr std::string_view kConnectionColumns =
    "id, company_id, platform_key, status, created, link_generation, link_issued, "
    "credential_hash, linked_once, hostname, agent_version, source_name, last_seen";

ConnectionRow read_connection(const Statement& s) {
  ConnectionRow row;
  row.id = s.text(0);
  row.company_id = s.text(1);
  row.platform_key = s.text(2);
  row.status = s.text(3);
  row.created = s.int64(4);
  row.link_generation = s.int64(5);
  row.link_issued = s.int64(6);
  row.credential_hash = s.opt_text(7);
  row.linked_once = s.int64(8) != 0;
  row.hostname = s.opt_text(9);
  row.agent_version = s.opt_text(10);
  row.source_name = s.opt_text(11);
  row.last_seen = s.opt_int64(12);
  return row;
}

CompanyRow read_company(const Statement& s) {
  return CompanyRow{s.text(0), s.text(1), s.opt_text(2), s.int64(3)};
}

SyncSettingRow read_setting(const Statement& s) {
  SyncSettingRow row;
  const auto key = s.text(0);
  const auto type = model::data_type_from_key(key);
  if (!type) {
    throw StoreError("unknown data type in sync settings: " + key, 0);
  }
  row.data_type = *type;
  row.fetch_on_first_link = s.int64(1) != 0;
  row.sync_schedule = static_cast<int>(s.int64(2));
  row.sync_order = static_cast<int>(s.int64(3));
  row.extra = s.opt_text(4);
  return row;
}

}  // namespace

std::optional<std::string> get_meta(Connection& db, std::string_view key) {
  auto s = db.prepare("SELECT value FROM meta WHERE key = ?");
  s.bind_all(key);
  if (s.step()) {
    return s.text(0);
  }
  return std::nullopt;
}

void set_meta(Connection& db, std::string_view key, std::string_view value) {
  db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind_all(key, value)
      .run();
}

void insert_company(Connection& db, const CompanyRow& row) {
  db.prepare("INSERT INTO companies (id, name, description, created) VALUES (?, ?, ?, ?)")
      .bind_all(row.id, row.name, row.description, row.created)
      .run();
}

std::optional<CompanyRow> find_company(Connection& db, std::string_view id) {
  auto s = db.prepare("SELECT id, name, description, created FROM companies WHERE id = ?");
  s.bind_all(id);
  if (s.step()) {
    return read_company(s);
  }
  return std::nullopt;
}

std::vector<CompanyRow> list_companies(Connection& db) {
  auto s = db.prepare("SELECT id, name, description, created FROM companies ORDER BY rowid");
  std::vector<CompanyRow> rows;
  while (s.step()) {
    rows.push_back(read_company(s));
  }
  return rows;
}

bool delete_company(Connection& db, std::string_view id) {
  db.prepare("DELETE FROM companies WHERE id = ?").bind_all(id).run();
  return db.changes() > 0;
}

void insert_connection(Connection& db, const ConnectionRow& r) {
  db.prepare(std::string("INSERT INTO connections (") + std::string(kConnectionColumns) +
             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(r.id, r.company_id, r.platform_key, r.status, r.created, r.link_generation,
                r.link_issued, r.credential_hash, r.linked_once, r.hostname, r.agent_version,
                r.source_name, r.last_seen)
      .run();
}

std::optional<ConnectionRow> find_connection(Connection& db, std::string_view id) {
  auto s = db.prepare(std::string("SELECT ") + std::string(kConnectionColumns) +
                      " FROM connections WHERE id = ?");
  s.bind_all(id);
  if (s.step()) {
    return read_connection(s);
  }
  return std::nullopt;
}

std::optional<ConnectionRow> find_connection_by_credential(Connection& db,
                                                           std::string_view credential_hash) {
  auto s = db.prepare(std::string("SELECT ") + std::string(kConnectionColumns) +
                      " FROM connections WHERE credential_hash = ?");
  s.bind_all(credential_hash);
  if (s.step()) {
    return read_connection(s);
  }
  return std::nullopt;
}

std::vector<ConnectionRow> list_connections(Connection& db, std::string_view company_id) {
  auto s = db.prepare(std::string("SELECT ") + std::string(kConnectionColumns) +
                      " FROM connections WHERE company_id = ? ORDER BY rowid");
  s.bind_all(company_id);
  std::vector<ConnectionRow> rows;
  while (s.step()) {
    rows.push_back(read_connection(s));
  }
  return rows;
}

void update_connection(Connection& db, const ConnectionRow& r) {
  db.prepare(
        "UPDATE connections SET status = ?, link_generation = ?, link_issued = ?, "
        "credential_hash = ?, linked_once = ?, hostname = ?, agent_version = ?, "
        "source_name = ?, last_seen = ? WHERE id = ?")
      .bind_all(r.status, r.link_generation, r.link_issued, r.credential_hash, r.linked_once,
                r.hostname, r.agent_version, r.source_name, r.last_seen, r.id)
      .run();
}

bool delete_connection(Connection& db, std::string_view id) {
  db.prepare("DELETE FROM connections WHERE id = ?").bind_all(id).run();
  return db.changes() > 0;
}

void touch_connection(Connection& db, std::string_view id, std::int64_t now) {
  db.prepare("UPDATE connections SET last_seen = ? WHERE id = ?").bind_all(now, id).run();
}

std::vector<SyncSettingRow> profile_settings(Connection& db) {
  auto s = db.prepare(
      "SELECT data_type, fetch_on_first_link, sync_schedule, sync_order, extra "
      "FROM profile_sync_settings");
  std::vector<SyncSettingRow> rows;
  while (s.step()) {
    rows.push_back(read_setting(s));
  }
  return rows;
}

void replace_profile_settings(Connection& db, const std::vector<SyncSettingRow>& rows) {
  db.exec("DELETE FROM profile_sync_settings");
  for (const auto& r : rows) {
    db.prepare(
          "INSERT INTO profile_sync_settings (data_type, fetch_on_first_link, "
          "sync_schedule, sync_order, extra) VALUES (?, ?, ?, ?, ?)")
        .bind_all(model::to_key(r.data_type), r.fetch_on_first_link, r.sync_schedule, r.sync_order,
                  r.extra)
        .run();
  }
}

std::vector<SyncSettingRow> company_settings(Connection& db, std::string_view company_id) {
  auto s = db.prepare(
      "SELECT data_type, fetch_on_first_link, sync_schedule, sync_order, extra "
      "FROM company_sync_settings WHERE company_id = ?");
  s.bind_all(company_id);
  std::vector<SyncSettingRow> rows;
  while (s.step()) {
    rows.push_back(read_setting(s));
  }
  return rows;
}

void replace_company_settings(Connection& db, std::string_view company_id,
                              const std::vector<SyncSettingRow>& rows) {
  db.prepare("DELETE FROM company_sync_settings WHERE company_id = ?").bind_all(company_id).run();
  for (const auto& r : rows) {
    db.prepare(
          "INSERT INTO company_sync_settings (company_id, data_type, fetch_on_first_link, "
          "sync_schedule, sync_order, extra) VALUES (?, ?, ?, ?, ?, ?)")
        .bind_all(company_id, model::to_key(r.data_type), r.fetch_on_first_link, r.sync_schedule,
                  r.sync_order, r.extra)
        .run();
  }
}

}  // namespace bookbridge::hub::store
