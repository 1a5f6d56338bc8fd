#pragma once

// Codat-shaped JSON for the hub's objects (Company, Connection, PullOperation, DataStatuses).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/hub.h"
#include "store/repositories.h"

namespace bookbridge::hub::core {

using Json = nlohmann::ordered_json;

/// Looks connections up once per request (dataset lists refer to the same few).
class ConnectionCache {
 public:
  explicit ConnectionCache(store::Connection& db) : db_(db) {}
  const store::ConnectionRow* get(const std::string& id);

 private:
  store::Connection& db_;
  std::map<std::string, std::optional<store::ConnectionRow>> rows_;
};

Json connection_json(Hub& hub, store::Connection& db, store::ConnectionRow row);
Json company_json(Hub& hub, store::Connection& db, const store::CompanyRow& row);
/// PullOperation. A Queued dataset's statusDescription says why it waits (agent offline,
/// connection Deauthorized or not linked yet), computed now.
Json dataset_json(Hub& hub, ConnectionCache& connections, const store::DatasetRow& row);
/// DataStatuses: every data type; a never-synced type carries only dataType.
Json data_status_json(store::Connection& db, std::string_view company_id);
/// ValidationResult {errors, warnings} of a dataset (empty lists when none was stored).
Json validation_json(const store::DatasetRow& row);

}  // namespace bookbridge::hub::core
