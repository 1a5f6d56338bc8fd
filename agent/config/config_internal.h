#pragma once

// Shared between the loader's files; not part of the config library's interface.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "config/json_locator.h"
#include "config/option.h"

namespace bookbridge::agent::config::detail {

/// Collects issues while the loader walks the document.
class IssueCollector {
 public:
  IssueCollector(const JsonLocator& locator, std::filesystem::path base_dir)
      : locator_(locator), base_dir_(std::move(base_dir)) {}

  void add(const std::string& path, std::string message);
  /// A finding that does not make the config invalid.
  void warn(const std::string& path, std::string message);
  /// True when an issue was reported at `path` or below it.
  bool has_issue_under(std::string_view path) const;
  /// Relative paths resolve against the config file's directory.
  std::filesystem::path resolve(const std::filesystem::path& path) const;

  std::vector<ConfigIssue> take() { return std::move(issues_); }
  std::vector<ConfigIssue> take_warnings() { return std::move(warnings_); }

 private:
  const JsonLocator& locator_;
  std::filesystem::path base_dir_;
  std::vector<ConfigIssue> issues_;
  std::vector<ConfigIssue> warnings_;
  std::set<std::string, std::less<>> bad_paths_;
};

/// "string", "integer", "object", ... of a JSON value, for "expected X, got Y" messages.
std::string_view json_type_name(const nlohmann::json& value);
/// A JSON value shortened for messages.
std::string short_dump(const nlohmann::json& value);

// The table-driven walk (config_schema.cpp).

/// The first key of a row path below a prefix: "url" of "url", "path" of "path.x".
std::string first_segment(std::string_view rest);
/// Keys that may appear directly in an object whose rows start with `prefix`.
std::vector<std::string> known_keys(std::span<const OptionSpec> rows, std::string_view prefix);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
/// Strict walk of one object: unknown keys, missing required keys, types, enums, ranges.
/// Sections ("hub", "log") recurse; object lists are left to their own handler.
/// `ignore_unknown` skips the unknown-key check (a source whose reader is unknown).
void check_object(const nlohmann::json& object, std::span<const OptionSpec> rows,
                  std::string_view table_prefix, const std::string& json_prefix,
                  IssueCollector& issues, bool ignore_unknown = false);
/// The value at a dotted path when present and free of problems, else nullptr.
const nlohmann::json* good_value(const nlohmann::json& root, const std::string& path,
                                 const IssueCollector& issues);

// Semantic checks of single values (types are already checked).
void check_hub_url(const std::string& url, const std::string& path, IssueCollector& issues);
void check_ca_file(const std::filesystem::path& file, const std::string& path,
                   IssueCollector& issues);
void check_state_dir(const std::filesystem::path& dir, const std::string& path,
                     IssueCollector& issues);
/// A reader's path option: warns (not an error) when the file is missing or unreadable now.
void check_source_file(const std::filesystem::path& file, const std::string& path,
                       IssueCollector& issues);
void check_log_file(const std::filesystem::path& file, const std::string& path,
                    IssueCollector& issues);

}  // namespace bookbridge::agent::config::detail
