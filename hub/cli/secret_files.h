#pragma once

// Small secret files in the data dir (API key, link secret): created once, 0600, atomically.

#include <filesystem>
#include <functional>
#include <string>

namespace bookbridge::hub::cli {

/// Returns the file's first line; when the file does not exist, writes `make()` to it first
/// (mode 0600, via a temp file and rename). Throws std::runtime_error with a readable message.
std::string ensure_secret_file(const std::filesystem::path& file,
                               const std::function<std::string()>& make);

/// Creates `dir` (and parents) with mode 0700 when missing.
void ensure_private_dir(const std::filesystem::path& dir);

}  // namespace bookbridge::hub::cli
