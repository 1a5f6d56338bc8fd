#pragma once

// Sync settings (Codat's SyncSetting): client-wide profile settings with per-company overrides.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/hub.h"
#include "store/rows.h"
#include "util/result.h"

namespace bookbridge::hub::core {

/// Every data type: fetchOnFirstLink=true, syncSchedule=24, syncOrder = table order.
std::vector<store::SyncSettingRow> default_settings();

/// Profile settings (defaults when never posted), sorted by syncOrder.
std::vector<store::SyncSettingRow> profile_settings(store::Connection& db);
/// The settings that apply to a company (its overrides, else the profile), sorted by syncOrder.
std::vector<store::SyncSettingRow> effective_settings(store::Connection& db,
                                                      std::string_view company_id);
bool company_overrides(store::Connection& db, std::string_view company_id);

nlohmann::ordered_json setting_json(const store::SyncSettingRow& row);

/// Merges the `settings` array of a SyncSettings body into `base`; collects every problem.
Result<std::vector<store::SyncSettingRow>> merge_settings(std::vector<store::SyncSettingRow> base,
                                                          const nlohmann::json& body);

/// The client id shown in SyncSettings (created once, kept in the meta table).
std::string client_id(store::Connection& db);

}  // namespace bookbridge::hub::core
