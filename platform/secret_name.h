#pragma once

// Shared by the POSIX and Windows secret stores: which names may become file names.

#include <algorithm>
#include <cctype>
#include <string_view>

namespace bookbridge::platform::detail {

/// 1-64 of [A-Za-z0-9._-], not "." or "..": no path separators, nothing hidden by accident.
inline bool is_safe_secret_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "." || name == ".." || name.front() == '.') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace bookbridge::platform::detail
