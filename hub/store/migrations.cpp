// The schema, as numbered migrations. Times are epoch milliseconds (INTEGER); ids are text.
#include "store/database.h"

namespace bookbridge::hub::store {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations{
      {1, "initial schema", R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);

CREATE TABLE companies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  created INTEGER NOT NULL);

CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  platform_key TEXT NOT NULL,
  status TEXT NOT NULL,
  created INTEGER NOT NULL,
  link_generation INTEGER NOT NULL DEFAULT 0,
  link_issued INTEGER NOT NULL,
  credential_hash TEXT UNIQUE,
  linked_once INTEGER NOT NULL DEFAULT 0,
  hostname TEXT,
  agent_version TEXT,
  source_name TEXT,
  last_seen INTEGER);
CREATE INDEX connections_company ON connections(company_id);

CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  data_type TEXT NOT NULL,
  status TEXT NOT NULL,
  status_description TEXT,
  error_message TEXT,
  progress INTEGER NOT NULL DEFAULT 0,
  requested INTEGER NOT NULL,
  completed INTEGER,
  lease_id TEXT,
  lease_expires INTEGER,
  claims INTEGER NOT NULL DEFAULT 0,
  expired_leases INTEGER NOT NULL DEFAULT 0,
  validation TEXT,
  record_count INTEGER);
CREATE INDEX datasets_company_type ON datasets(company_id, data_type);
CREATE INDEX datasets_connection_status ON datasets(connection_id, status);
CREATE INDEX datasets_lease ON datasets(lease_expires) WHERE lease_expires IS NOT NULL;

CREATE TABLE dataset_pages (
  dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  lease_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  records INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (dataset_id, number));

CREATE TABLE records (
  company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  data_type TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  json TEXT NOT NULL,
  modified_date INTEGER,  -- NULL: the record carries its own modifiedDate
  PRIMARY KEY (company_id, data_type, dataset_id, position));
CREATE UNIQUE INDEX records_by_id ON records(company_id, data_type, dataset_id, record_id);

CREATE TABLE profile_sync_settings (
  data_type TEXT PRIMARY KEY,
  fetch_on_first_link INTEGER NOT NULL,
  sync_schedule INTEGER NOT NULL,
  sync_order INTEGER NOT NULL,
  extra TEXT);

CREATE TABLE company_sync_settings (
  company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  data_type TEXT NOT NULL,
  fetch_on_first_link INTEGER NOT NULL,
  sync_schedule INTEGER NOT NULL,
  sync_order INTEGER NOT NULL,
  extra TEXT,
  PRIMARY KEY (company_id, data_type));
)sql"},
  };
  return kMigrations;
}

}  // namespace bookbridge::hub::store
