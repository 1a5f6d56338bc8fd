#pragma once

// Maps JSON paths ("sources[1].path") to the line they appear on, so config problems can point
// at a line. nlohmann::json keeps no positions, hence this small second pass over the text.
// Accepts // and /* */ comments like the loader does. Only meant for text that already parsed.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookbridge::agent::config {

class JsonLocator {
 public:
  explicit JsonLocator(std::string_view text);

  /// 1-based line of the key (object members) or value start (array elements) at `path`;
  /// falls back to the nearest enclosing path that is known; 0 when nothing is.
  int line_of(std::string_view path) const;

  /// Keys that appear twice in one object: {path, line of the repeated key}.
  const std::vector<std::pair<std::string, int>>& duplicate_keys() const { return duplicates_; }

 private:
  std::map<std::string, int, std::less<>> lines_;
  std::vector<std::pair<std::string, int>> duplicates_;
};

/// The enclosing path: "sources[1].path" -> "sources[1]" -> "sources" -> "".
std::string parent_path(std::string_view path);

}  // namespace bookbridge::agent::config
