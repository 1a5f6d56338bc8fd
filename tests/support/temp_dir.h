#pragma once

#include <filesystem>
#include <string>

namespace bookbridge::testing {

/// A fresh directory under the system temp dir, removed (recursively) on destruction unless
/// BOOKBRIDGE_KEEP_TEST_DIRS is set (for post-mortems).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "bookbridge-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Reads a whole file (empty string when missing).
std::string read_file(const std::filesystem::path& file);
/// Writes (replaces) a file.
void write_file(const std::filesystem::path& file, const std::string& content);

}  // namespace bookbridge::testing
