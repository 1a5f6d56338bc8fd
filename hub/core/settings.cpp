#include "core/settings.h"

#include <algorithm>

#include "store/repositories.h"
#include "util/crypto.h"

namespace bookbridge::hub::core {
namespace {

void sort_by_order(std::vector<store::SyncSettingRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.sync_order < b.sync_order; });
}

// Optional SyncSetting fields we keep verbatim (after checking their types).
struct Extra {
  std::string_view name;
  bool (*ok)(const nlohmann::json&);
  std::string_view expected;
};
constexpr Extra kExtras[] = {
    {"syncFromUtc", [](const nlohmann::json& v) { return v.is_string() || v.is_null(); },
     "a DateTime string"},
    {"syncFromWindow", [](const nlohmann::json& v) { return v.is_number_integer() || v.is_null(); },
     "an integer (months)"},
    {"monthsToSync", [](const nlohmann::json& v) { return v.is_number_integer() || v.is_null(); },
     "an integer"},
    {"isLocked", [](const nlohmann::json& v) { return v.is_boolean() || v.is_null(); },
     "a boolean"},
};

}  // namespace

std::vector<store::SyncSettingRow> default_settings() {
  std::vector<store::SyncSettingRow> rows;
  int order = 0;
  for (const auto& info : model::all_data_types()) {
    rows.push_back(store::SyncSettingRow{info.type, true, 24, order++, std::nullopt});
  }
  return rows;
}

std::vector<store::SyncSettingRow> profile_settings(store::Connection& db) {
  auto rows = store::profile_settings(db);
  if (rows.empty()) {
    rows = default_settings();
  }
  // Types added by a newer hub than the one that saved the profile get their defaults.
  for (const auto& def : default_settings()) {
    if (std::none_of(rows.begin(), rows.end(),
                     [&](const auto& r) { return r.data_type == def.data_type; })) {
      rows.push_back(def);
    }
  }
  sort_by_order(rows);
  return rows;
}

bool company_overrides(store::Connection& db, std::string_view company_id) {
  return !store::company_settings(db, company_id).empty();
}

std::vector<store::SyncSettingRow> effective_settings(store::Connection& db,
                                                      std::string_view company_id) {
  auto rows = store::company_settings(db, company_id);
  if (rows.empty()) {
    return core::profile_settings(db);
  }
  sort_by_order(rows);
  return rows;
}

nlohmann::ordered_json setting_json(const store::SyncSettingRow& row) {
  nlohmann::ordered_json out;
  out["dataType"] = model::to_key(row.data_type);
  out["fetchOnFirstLink"] = row.fetch_on_first_link;
  out["syncSchedule"] = row.sync_schedule;
  out["syncOrder"] = row.sync_order;
  if (row.extra) {
    auto extra = nlohmann::ordered_json::parse(*row.extra, nullptr, false);
    if (extra.is_object()) {
      for (auto& [key, value] : extra.items()) {
        out[key] = value;
      }
    }
  }
  if (!out.contains("isLocked")) {
    out["isLocked"] = false;
  }
  return out;
}

Result<std::vector<store::SyncSettingRow>> merge_settings(std::vector<store::SyncSettingRow> base,
                                                          const nlohmann::json& body) {
  nlohmann::json errors = nlohmann::json::array();
  auto problem = [&](const std::string& item, const std::string& message) {
    errors.push_back({{"itemId", item}, {"message", message}, {"validatorName", "SyncSettings"}});
  };
  const auto settings = body.find("settings");
  if (settings == body.end() || !settings->is_array()) {
    problem("settings", "settings must be an array of SyncSetting objects");
  } else {
    for (std::size_t i = 0; i < settings->size(); ++i) {
      const auto& item = (*settings)[i];
      const std::string where = "settings[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        problem(where, "must be an object");
        continue;
      }
      const auto type_it = item.find("dataType");
      const auto type = type_it != item.end() && type_it->is_string()
                            ? model::data_type_from_key(type_it->get<std::string>())
                            : std::nullopt;
      if (!type) {
        problem(where + ".dataType", "must be one of the supported data type keys (e.g. invoices)");
        continue;
      }
      auto row = std::find_if(base.begin(), base.end(),
                              [&](const auto& r) { return r.data_type == *type; });
      if (row == base.end()) {
        base.push_back(store::SyncSettingRow{*type, true, 24, static_cast<int>(base.size()), {}});
        row = std::prev(base.end());
      }
      if (auto v = item.find("fetchOnFirstLink"); v != item.end()) {
        v->is_boolean() ? void(row->fetch_on_first_link = v->get<bool>())
                        : problem(where + ".fetchOnFirstLink", "must be true or false");
      }
      if (auto v = item.find("syncSchedule"); v != item.end()) {
        if (v->is_number_integer() && v->get<std::int64_t>() >= 0 &&
            v->get<std::int64_t>() <= 8760) {
          row->sync_schedule = v->get<int>();
        } else {
          problem(where + ".syncSchedule", "must be a whole number of hours from 0 to 8760");
        }
      }
      if (auto v = item.find("syncOrder"); v != item.end()) {
        if (v->is_number_integer() && v->get<std::int64_t>() >= -100000 &&
            v->get<std::int64_t>() <= 100000) {
          row->sync_order = v->get<int>();
        } else {
          problem(where + ".syncOrder", "must be an integer");
        }
      }
      nlohmann::json extra = row->extra ? nlohmann::json::parse(*row->extra, nullptr, false)
                                        : nlohmann::json::object();
      if (!extra.is_object()) {
        extra = nlohmann::json::object();
      }
      for (const auto& e : kExtras) {
        if (auto v = item.find(e.name); v != item.end()) {
          if (!e.ok(*v)) {
            problem(where + "." + std::string(e.name), "must be " + std::string(e.expected));
          } else if (v->is_null()) {
            extra.erase(std::string(e.name));
          } else {
            extra[std::string(e.name)] = *v;
          }
        }
      }
      row->extra = extra.empty() ? std::nullopt : std::optional<std::string>(extra.dump());
    }
  }
  if (!errors.empty()) {
    ApiError error =
        bad_request("SyncSettingsValidationException: the sync settings are not valid");
    error.validation = nlohmann::json{{"errors", errors}, {"warnings", nlohmann::json::array()}};
    return error;
  }
  sort_by_order(base);
  return base;
}

std::string client_id(store::Connection& db) {
  if (auto id = store::get_meta(db, "client_id")) {
    return *id;
  }
  auto id = new_uuid();
  store::set_meta(db, "client_id", id);
  return id;
}

}  // namespace bookbridge::hub::core
