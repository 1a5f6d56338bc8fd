#pragma once

// The GnuCash reader's options: one row per key of a `sources[]` entry (feeds the strict config
// loader, `check-config` and docs/configuration.md).

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "config/option.h"
#include "readers/registry.h"

namespace bookbridge::readers::gnucash {

struct GnuCashConfig {
  std::filesystem::path path;  ///< the .gnucash book (SQLite, gzip XML or plain XML)
};

std::span<const agent::config::OptionSpec> options();

/// Appends a problem for every invalid key of `source` (paths under `json_path`).
void validate(const nlohmann::json& source, const std::string& json_path,
              std::vector<ConfigProblem>& problems);

/// Reads the typed config from a validated source entry.
GnuCashConfig parse_config(const nlohmann::json& source);

}  // namespace bookbridge::readers::gnucash
