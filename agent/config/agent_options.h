#pragma once

// The agent's own option table: every top-level key and every key of a `sources[]` entry that
// is not reader-specific. The loader, `check-config` and docs/configuration.md all read it.

#include <span>
#include <string_view>

#include "config/option.h"

namespace bookbridge::agent::config {

/// Every agent option, in documentation order. Reader options come from the reader registry.
std::span<const OptionSpec> agent_options();

/// The row for `path` (e.g. "hub.url", "sources[].name"), or nullptr.
const OptionSpec* find_agent_option(std::string_view path);

/// "string", "integer", "enum", ... as shown in messages and docs.
std::string_view type_name(OptionType type);

}  // namespace bookbridge::agent::config
