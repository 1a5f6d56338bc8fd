#pragma once

// Loads agent.json strictly: `//` and `/* */` comments are allowed, unknown keys are errors, and
// every problem is collected (never just the first) with its JSON path and line, e.g.
//   agent.json:12: sources[1].path: file does not exist: /x/y.gnucash (check the path; ...)
// Relative paths resolve against the config file's directory.

#include <boost/system/result.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/agent_config.h"

namespace bookbridge::readers {
class ReaderRegistry;
}

namespace bookbridge::agent::config {

struct ConfigErrors {
  std::filesystem::path file;
  std::vector<ConfigIssue> issues;
  std::vector<ConfigIssue> warnings{};  ///< as AgentConfig::warnings
};

/// Lets result<AgentConfig, ConfigErrors>::value() throw a readable exception.
[[noreturn]] void throw_exception_from_error(const ConfigErrors& errors,
                                             const boost::source_location& location);

using LoadResult = boost::system::result<AgentConfig, ConfigErrors>;

/// Reads and validates `file`. Reader options are checked through `registry`.
LoadResult load_config(const std::filesystem::path& file, const readers::ReaderRegistry& registry);

/// Same, for text already in memory (`file` names it in messages and anchors relative paths).
LoadResult parse_config(std::string_view text, const std::filesystem::path& file,
                        const readers::ReaderRegistry& registry);

/// "agent.json:12: sources[1].path: message" (parts that are unknown are left out); with
/// `warning` set, "warning: " goes before the message.
std::string format_issue(const std::filesystem::path& file, const ConfigIssue& issue,
                         bool warning = false);

/// The config file to use: `--config` when given, else $BOOKBRIDGE_AGENT_CONFIG, else the OS
/// default (platform::default_agent_config_file()).
std::filesystem::path resolve_config_file(const std::optional<std::string>& from_command_line);

/// Source names become file names (credentials, state): 1-64 of [A-Za-z0-9._-], not "." / "..".
bool is_valid_source_name(std::string_view name);

/// Levenshtein distance, ASCII case-insensitive (for "did you mean" hints).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate within a small distance, or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

std::string_view to_string(TransportMode mode);
std::string_view to_string(LogFormat format);

}  // namespace bookbridge::agent::config
