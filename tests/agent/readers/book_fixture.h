#pragma once

// Test helpers for readers: temp dirs, running the GnuCash book tools, and reading a book through
// the real reader into memory (tests only; the reader itself streams).

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/data_type.h"
#include "readers/gnucash/gnucash_reader.h"
#include "readers/reader.h"

namespace bookbridge::readers::testing {

/// A private temporary directory, removed with its content on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout only (stderr goes to the test log)
};
/// Runs a shell command line and captures stdout.
CommandResult run_command(const std::string& command);

/// Runs make_book.py with `args`; exit code 77 means GnuCash is not installed.
CommandResult make_book(const std::string& args);
/// GnuCash's own figures for `book` (expected_figures.py), or nullopt on failure.
std::optional<nlohmann::json> expected_figures(const std::filesystem::path& book);

class CountingContext : public ReadContext {
 public:
  bool cancelled() const override { return cancel_after_progress && progress_calls > 0; }
  void progress(const Progress& p) override {
    ++progress_calls;
    last = p;
  }
  bool cancel_after_progress = false;
  int progress_calls = 0;
  Progress last;
};

class VectorSink : public RecordSink {
 public:
  ReadResult<void> write(nlohmann::json&& record) override {
    records.push_back(std::move(record));
    return {};
  }
  std::vector<nlohmann::json> records;
};

/// fetch + map of one data type in a fresh work dir.
ReadResult<std::vector<nlohmann::json>> read_type(const std::filesystem::path& book,
                                                  model::DataType type);
/// fetch only (for error tests).
ReadResult<void> fetch_only(const std::filesystem::path& book);

/// Decimal of a JSON number or decimal string (expected_figures.py writes strings).
model::Decimal dec(const nlohmann::json& value);

}  // namespace bookbridge::readers::testing
