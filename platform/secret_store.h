#pragma once

// Credentials on disk. POSIX: one file per source under <stateDir>/credentials/ (dir 0700, file
// 0600, written atomically). Windows: the same files, protected with DPAPI (machine scope) and an
// ACL for SYSTEM and Administrators only. Secrets are never logged.

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace bookbridge::platform {

class SecretStore {
 public:
  explicit SecretStore(std::filesystem::path state_dir);

  /// Stores (replaces) the secret for `name`. Returns an error code on I/O failure. POSIX: when
  /// root saves into a state dir owned by another user (the service's), the files go to that
  /// user, so `sudo bookbridge-agent link` leaves a credential the service can read.
  std::error_code save(const std::string& name, const std::string& secret);
  /// The stored secret, or nullopt when none.
  std::optional<std::string> load(const std::string& name) const;
  /// Deletes it; no error when it did not exist.
  std::error_code remove(const std::string& name);

  std::filesystem::path file_for(const std::string& name) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace bookbridge::platform
