#pragma once

// Plain rows of the hub's tables.

#include <cstdint>
#include <optional>
#include <string>

#include "model/data_type.h"
#include "model/dataset_status.h"

namespace bookbridge::hub::store {

struct CompanyRow {
  std::string id;
  std::string name;
  std::optional<std::string> description;
  std::int64_t created = 0;
};

struct ConnectionRow {
  std::string id;
  std::string company_id;
  std::string platform_key;
  std::string status;  ///< PendingAuth | Linked | Unlinked | Deauthorized
  std::int64_t created = 0;
  std::int64_t link_generation = 0;  ///< the one-time token is derived from it (see core/links)
  std::int64_t link_issued = 0;
  std::optional<std::string> credential_hash;
  bool linked_once = false;
  std::optional<std::string> hostname;
  std::optional<std::string> agent_version;
  std::optional<std::string> source_name;
  std::optional<std::int64_t> last_seen;
};

struct DatasetRow {
  std::string id;
  std::string company_id;
  std::string connection_id;
  model::DataType data_type = model::DataType::company;
  model::DatasetStatus status = model::DatasetStatus::queued;
  std::optional<std::string> status_description;
  std::optional<std::string> error_message;
  int progress = 0;
  std::int64_t requested = 0;
  std::optional<std::int64_t> completed;
  std::optional<std::string> lease_id;
  std::optional<std::int64_t> lease_expires;
  int claims = 0;
  int expired_leases = 0;
  std::optional<std::string> validation;  ///< ValidationResult JSON
  std::optional<std::int64_t> record_count;
};

struct PageRow {
  std::string dataset_id;
  std::string lease_id;
  int number = 0;
  std::string sha256;
  std::int64_t records = 0;
};

struct SyncSettingRow {
  model::DataType data_type = model::DataType::company;
  bool fetch_on_first_link = true;
  int sync_schedule = 24;  ///< hours; 0 = no schedule
  int sync_order = 0;
  std::optional<std::string> extra;  ///< JSON object of optional SyncSetting fields
};

}  // namespace bookbridge::hub::store
