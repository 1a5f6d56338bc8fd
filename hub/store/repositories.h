#pragma once

// Repositories: the SQL of each table, as free functions over a Connection. Callers own the
// transactions (so that a state change and its side effects commit together).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/rows.h"
#include "store/sqlite.h"

namespace bookbridge::hub::store {

// meta
std::optional<std::string> get_meta(Connection& db, std::string_view key);
void set_meta(Connection& db, std::string_view key, std::string_view value);

// companies
void insert_company(Connection& db, const CompanyRow& row);
std::optional<CompanyRow> find_company(Connection& db, std::string_view id);
std::vector<CompanyRow> list_companies(Connection& db);
bool delete_company(Connection& db, std::string_view id);

// connections
void insert_connection(Connection& db, const ConnectionRow& row);
std::optional<ConnectionRow> find_connection(Connection& db, std::string_view id);
std::optional<ConnectionRow> find_connection_by_credential(Connection& db,
                                                           std::string_view credential_hash);
std::vector<ConnectionRow> list_connections(Connection& db, std::string_view company_id);
void update_connection(Connection& db, const ConnectionRow& row);
bool delete_connection(Connection& db, std::string_view id);
void touch_connection(Connection& db, std::string_view id, std::int64_t now);

// datasets
void insert_dataset(Connection& db, const DatasetRow& row);
std::optional<DatasetRow> find_dataset(Connection& db, std::string_view id);
void update_dataset(Connection& db, const DatasetRow& row);
/// Every dataset of a company, oldest first.
std::vector<DatasetRow> list_datasets(Connection& db, std::string_view company_id);
/// The in-progress (not terminal) dataset of a company and data type, if any.
std::optional<DatasetRow> find_in_progress(Connection& db, std::string_view company_id,
                                           model::DataType type);
/// Latest dataset of a company and type (by request time), and latest Complete one.
std::optional<DatasetRow> latest_dataset(Connection& db, std::string_view company_id,
                                         model::DataType type, bool complete_only);
/// Queued datasets of a connection, oldest first.
std::vector<DatasetRow> queued_datasets(Connection& db, std::string_view connection_id);
/// Datasets of a connection whose status is not terminal.
std::vector<DatasetRow> unfinished_datasets(Connection& db, std::string_view connection_id);
/// Datasets holding a lease that expired at or before `now`.
std::vector<DatasetRow> expired_leases(Connection& db, std::int64_t now);
/// Datasets in `status` (e.g. Processing after a crash).
std::vector<DatasetRow> datasets_in_status(Connection& db, model::DatasetStatus status);
/// Earliest lease expiry of all datasets, if any lease is held.
std::optional<std::int64_t> next_lease_expiry(Connection& db);

// pages
std::optional<PageRow> find_page(Connection& db, std::string_view dataset_id, int number);
void insert_page(Connection& db, const PageRow& row, std::string_view compressed_body);
std::vector<PageRow> list_pages(Connection& db, std::string_view dataset_id);
void delete_pages(Connection& db, std::string_view dataset_id);
/// Calls `fn(row, compressed_body)` for each page in number order; stops when it returns false.
void for_each_page(Connection& db, std::string_view dataset_id,
                   const std::function<bool(const PageRow&, std::string_view)>& fn);

// sync settings
std::vector<SyncSettingRow> profile_settings(Connection& db);
void replace_profile_settings(Connection& db, const std::vector<SyncSettingRow>& rows);
std::vector<SyncSettingRow> company_settings(Connection& db, std::string_view company_id);
void replace_company_settings(Connection& db, std::string_view company_id,
                              const std::vector<SyncSettingRow>& rows);

}  // namespace bookbridge::hub::store
