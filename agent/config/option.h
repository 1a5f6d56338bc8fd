#pragma once

// One row of an option table. The agent's top-level options and each reader's own options are
// declared as tables of these; the same rows feed strict parsing, `check-config`, `--help` and
// docs/configuration.md.

#include <cstdint>
#include <string_view>

namespace bookbridge::agent::config {

enum class OptionType {
  string,
  path,
  url,
  integer,
  boolean,
  enumeration,
  string_list,
  object_list
};

struct OptionSpec {
  std::string_view path;  ///< JSON path, e.g. "hub.url" or "sources[].dataTypes"
  OptionType type;
  std::string_view default_value;  ///< as shown to a person; "" when required / none
  bool required;
  std::string_view description;   ///< one or two sentences for the docs
  std::string_view allowed = "";  ///< for enumerations: "auto|websocket|poll"
  /// For integers: the inclusive range (both 0: unbounded).
  std::int64_t min_value = 0;
  std::int64_t max_value = 0;
};

}  // namespace bookbridge::agent::config
