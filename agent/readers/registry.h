#pragma once

// The explicit registry of readers. Every built-in reader is listed by hand in
// builtin_readers.cpp (no static self-registration); duplicate names are refused.

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/option.h"
#include "readers/reader.h"

namespace bookbridge::readers {

/// A config problem found while validating a source's reader options.
struct ConfigProblem {
  std::string path;     ///< JSON path, e.g. "sources[1].path"
  std::string message;  ///< what is wrong and what to do
};

struct ReaderFactory {
  std::string name;         ///< e.g. "gnucash"
  std::string description;  ///< one line, for docs and `status`
  /// The reader's own keys inside a `sources[]` entry (besides name/reader/dataTypes). Paths are
  /// written "sources[].path".
  std::span<const agent::config::OptionSpec> options;
  /// Checks the reader's own keys of one source entry (`source` is the whole entry; unknown keys
  /// are already reported by the caller). Appends problems with paths under `json_path`.
  std::function<void(const nlohmann::json& source, const std::string& json_path,
                     std::vector<ConfigProblem>& problems)>
      validate;
  /// Creates a reader for a validated source entry.
  std::function<ReadResult<ReaderPtr>(const nlohmann::json& source)> create;
};

class ReaderRegistry {
 public:
  /// Adds a factory; returns false (and changes nothing) when the name is taken.
  bool add(ReaderFactory factory);
  const ReaderFactory* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, ReaderFactory, std::less<>> factories_;
};

/// Registers every built-in reader (written out by hand in builtin_readers.cpp).
void register_builtin_readers(ReaderRegistry& registry);

}  // namespace bookbridge::readers
