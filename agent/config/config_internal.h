#pragma once

// Shared between the loader's files; not part of the config library's interface.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "config/json_locator.h"

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
