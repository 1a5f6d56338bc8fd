// `bookbridge-agent status`: what the local state says about each source — linked to which
// company, online as last recorded by a running agent, datasets in flight, last results.
// Reads only: agent.db (read-only) and the link store.

#include <ostream>

#include "runtime/run.h"
#include "state/link_store.h"
#include "state/state_db.h"

namespace bookbridge::agent {
namespace {

nlohmann::json source_status(const config::AgentConfig& config, const config::SourceConfig& source,
                             state::StateDb* db) {
  nlohmann::json item{{"name", source.name}, {"reader", source.reader}};
  const auto link = state::load_link(config.state_dir, source.name);
  item["linked"] = link.has_value();
  if (link) {
    item["companyName"] = link->company_name;
    item["companyId"] = link->company_id;
    item["connectionId"] = link->connection_id;
    item["hubUrl"] = link->hub_url;
    item["linkedAt"] = link->linked_at;
  }
  item["online"] = false;
  item["transport"] = "";
  item["lastContact"] = "";
  item["message"] = "";
  item["datasets"] = nlohmann::json::array();
  item["lastResults"] = nlohmann::json::array();
  if (db == nullptr) {
    return item;
  }
  if (auto presence = db->presence()) {
    for (const auto& row : *presence) {
      if (row.source == source.name) {
        item["online"] = row.online;
        item["transport"] = row.transport;
        item["lastContact"] = row.last_contact;
        item["message"] = row.message;
        item["recorded"] = row.updated;
      }
    }
  }
  if (auto datasets = db->datasets(source.name)) {
    for (const auto& row : *datasets) {
      item["datasets"].push_back({{"id", row.id},
                                  {"dataType", row.data_type},
                                  {"phase", state::to_string(row.phase)},
                                  {"status", row.hub_status},
                                  {"progress", row.progress},
                                  {"attempt", row.attempt},
                                  {"started", row.started},
                                  {"updated", row.updated}});
    }
  }
  if (auto results = db->results(source.name)) {
    for (const auto& row : *results) {
      item["lastResults"].push_back({{"dataType", row.data_type},
                                     {"datasetId", row.dataset_id},
                                     {"status", row.status},
                                     {"message", row.message},
                                     {"records", row.record_count},
                                     {"seconds", row.seconds},
                                     {"finished", row.finished}});
    }
  }
  return item;
}

void print_text(const nlohmann::json& status, std::ostream& out) {
  out << "state dir: " << status["stateDir"].get<std::string>() << '\n';
  for (const auto& source : status["sources"]) {
    const auto name = source["name"].get<std::string>();
    out << "\nsource " << name << " (" << source["reader"].get<std::string>() << ")\n";
    if (source["linked"].get<bool>()) {
      out << "  linked:     " << source["companyName"].get<std::string>() << " (connection "
          << source["connectionId"].get<std::string>() << ")\n";
    } else {
      out << "  linked:     no - run: bookbridge-agent link <linkUrl> --source " << name << '\n';
    }
    if (source["online"].get<bool>()) {
      out << "  online:     yes, " << source["transport"].get<std::string>() << " (last contact "
          << source["lastContact"].get<std::string>() << ")\n";
    } else {
      const auto message = source["message"].get<std::string>();
      const auto last = source["lastContact"].get<std::string>();
      out << "  online:     no" << (message.empty() ? "" : " - " + message)
          << (last.empty() ? "" : " (last contact " + last + ")") << '\n';
    }
    if (source["datasets"].empty()) {
      out << "  in flight:  none\n";
    }
    for (const auto& d : source["datasets"]) {
      out << "  in flight:  " << d["dataType"].get<std::string>() << ' '
          << d["id"].get<std::string>() << ' ' << d["status"].get<std::string>() << ' '
          << d["progress"].get<int>() << "% (attempt " << d["attempt"].get<int>() << ", since "
          << d["started"].get<std::string>() << ")\n";
    }
    for (const auto& r : source["lastResults"]) {
      const auto message = r["message"].get<std::string>();
      out << "  last " << r["dataType"].get<std::string>() << ": " << r["status"].get<std::string>()
          << ", " << r["records"].get<std::int64_t>() << " records, "
          << r["finished"].get<std::string>() << (message.empty() ? "" : " - " + message) << '\n';
    }
  }
}

}  // namespace

int print_status(const config::AgentConfig& config, bool json, std::ostream& out) {
  auto db = state::StateDb::open_read_only(config.state_dir);
  nlohmann::json status{{"stateDir", config.state_dir.string()},
                        {"sources", nlohmann::json::array()}};
  if (!db && std::filesystem::exists(state::StateDb::file_in(config.state_dir))) {
    status["error"] = "cannot read " + state::StateDb::file_in(config.state_dir).string() + ": " +
                      db.error().message();
  }
  for (const auto& source : config.sources) {
    status["sources"].push_back(source_status(config, source, db ? db->get() : nullptr));
  }
  if (json) {
    out << status.dump(2) << '\n';
  } else {
    print_text(status, out);
    if (status.contains("error")) {
      out << "\nwarning: " << status["error"].get<std::string>() << '\n';
    }
  }
  return status.contains("error") ? 1 : 0;
}

}  // namespace bookbridge::agent
