#include "core/views.h"

#include "core/directory.h"
#include "core/integrations.h"
#include "util/time_format.h"

namespace bookbridge::hub::core {
namespace {

std::optional<std::int64_t> last_sync(store::Connection& db, std::string_view where,
                                      std::string_view id) {
  auto s = db.prepare(std::string("SELECT MAX(completed) FROM datasets WHERE ") +
                      std::string(where) + " = ? AND status = 'Complete'");
  s.bind_all(id);
  s.step();
  return s.opt_int64(0);
}

std::string waiting_reason(Hub& hub, const store::ConnectionRow& conn) {
  if (conn.status == kDeauthorized) {
    return "Waiting for connection " + conn.id +
           " to be re-linked: the agent reported an AuthError. Run `bookbridge-agent link` with "
           "the connection's new linkUrl";
  }
  if (conn.status == kPendingAuth) {
    return "Waiting for connection " + conn.id +
           " to be linked: run `bookbridge-agent link` with the connection's linkUrl";
  }
  if (conn.status == kLinked && !hub.presence().online(conn.id, hub.now())) {
    return "Waiting for the Bookbridge agent of connection " + conn.id + " to come online";
  }
  return {};
}

}  // namespace

const store::ConnectionRow* ConnectionCache::get(const std::string& id) {
  auto it = rows_.find(id);
  if (it == rows_.end()) {
    it = rows_.emplace(id, store::find_connection(db_, id)).first;
  }
  return it->second ? &*it->second : nullptr;
}

Json connection_json(Hub& hub, store::Connection& db, store::ConnectionRow row) {
  refresh_expired_link_token(hub, db, row);
  const auto integration = find_integration(row.platform_key);
  Json out;
  out["id"] = row.id;
  out["integrationId"] = integration ? std::string(integration->integration_id) : "";
  out["integrationKey"] = row.platform_key;
  out["sourceId"] = integration ? std::string(integration->source_id) : "";
  out["sourceType"] = integration ? std::string(integration->source_type) : "Unknown";
  out["platformName"] = integration ? std::string(integration->name) : row.platform_key;
  out["linkUrl"] = link_url(hub, row);
  out["status"] = row.status;
  if (auto last = last_sync(db, "connection_id", row.id)) {
    out["lastSync"] = format_iso(*last);
  }
  out["created"] = format_iso(row.created);
  out["dataConnectionErrors"] = Json::array();
  Json info;
  const auto now = hub.now();
  info["online"] = row.status == kLinked || row.status == kDeauthorized
                       ? hub.presence().online(row.id, now)
                       : false;
  auto seen = row.last_seen;
  if (auto live = hub.presence().last_seen(row.id); live && (!seen || *live > *seen)) {
    seen = live;
  }
  info["lastSeen"] = seen ? Json(format_iso(*seen)) : Json(nullptr);
  info["hostname"] = row.hostname ? Json(*row.hostname) : Json(nullptr);
  info["agentVersion"] = row.agent_version ? Json(*row.agent_version) : Json(nullptr);
  info["sourceName"] = row.source_name ? Json(*row.source_name) : Json(nullptr);
  out["connectionInfo"] = info;
  return out;
}

Json company_json(Hub& hub, store::Connection& db, const store::CompanyRow& row) {
  Json out;
  out["id"] = row.id;
  out["name"] = row.name;
  if (row.description) {
    out["description"] = *row.description;
  }
  auto connections = store::list_connections(db, row.id);
  // Codat's redirect is the company's Link URL: here the newest open connection's linkUrl.
  std::string redirect;
  for (const auto& c : connections) {
    if (c.status != kUnlinked) {
      redirect = link_url(hub, c);
    }
  }
  out["redirect"] = redirect;
  if (auto last = last_sync(db, "company_id", row.id)) {
    out["lastSync"] = format_iso(*last);
  }
  out["created"] = format_iso(row.created);
  out["createdByUserName"] = nullptr;
  out["products"] = Json::array();
  out["tags"] = Json::object();
  Json list = Json::array();
  for (auto& c : connections) {
    list.push_back(connection_json(hub, db, c));
  }
  out["dataConnections"] = list;
  return out;
}

Json dataset_json(Hub& hub, ConnectionCache& connections, const store::DatasetRow& row) {
  Json out;
  out["id"] = row.id;
  out["companyId"] = row.company_id;
  out["connectionId"] = row.connection_id;
  out["dataType"] = model::to_key(row.data_type);
  out["status"] = model::to_string(row.status);
  std::optional<std::string> description = row.status_description;
  if (row.status == model::DatasetStatus::queued) {
    if (const auto* conn = connections.get(row.connection_id)) {
      if (auto reason = waiting_reason(hub, *conn); !reason.empty()) {
        description = reason;
      }
    }
  }
  out["statusDescription"] = description ? Json(*description) : Json(nullptr);
  out["errorMessage"] = row.error_message ? Json(*row.error_message) : Json(nullptr);
  out["requested"] = format_iso(row.requested);
  if (row.completed) {
    out["completed"] = format_iso(*row.completed);
  }
  out["progress"] = row.progress;
  out["isCompleted"] = row.status == model::DatasetStatus::complete;
  out["isErrored"] = model::is_error(row.status);
  return out;
}

Json data_status_json(store::Connection& db, std::string_view company_id) {
  Json out = Json::object();
  for (const auto& info : model::all_data_types()) {
    Json entry;
    entry["dataType"] = info.key;
    auto latest = store::latest_dataset(db, company_id, info.type, false);
    if (latest) {
      auto success = store::latest_dataset(db, company_id, info.type, true);
      if (success && success->completed) {
        entry["lastSuccessfulSync"] = format_iso(*success->completed);
      }
      entry["currentStatus"] = model::to_string(latest->status);
      entry["latestSyncId"] = latest->id;
      if (success) {
        entry["latestSuccessfulSyncId"] = success->id;
      }
    }
    out[std::string(info.key)] = entry;
  }
  return out;
}

Json validation_json(const store::DatasetRow& row) {
  Json out{{"errors", Json::array()}, {"warnings", Json::array()}};
  if (row.validation) {
    auto stored = Json::parse(*row.validation, nullptr, false);
    if (stored.is_object()) {
      for (const char* key : {"errors", "warnings"}) {
        if (stored.contains(key) && stored[key].is_array()) {
          out[key] = stored[key];
        }
      }
    }
  }
  return out;
}

}  // namespace bookbridge::hub::core
