#pragma once

// TLS key material on disk, made with OpenSSL (no Beast/Asio here).

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace bookbridge::transport {

struct SelfSignedResult {
  std::filesystem::path cert_file;  ///< PEM certificate (0644)
  std::filesystem::path key_file;   ///< PEM private key (0600)
  bool created = false;             ///< false when an existing pair was reused
};

/// Makes `dir/cert.pem` and `dir/key.pem` (EC P-256, 10 years, subjectAltName: localhost,
/// 127.0.0.1, ::1 and `extra_names` (DNS names or IP literals)) unless both already exist, in
/// which case they are reused. The directory is created 0700, the key written 0600 atomically.
/// Throws std::runtime_error with a readable message on failure (startup only).
SelfSignedResult ensure_self_signed_certificate(const std::filesystem::path& dir,
                                                const std::vector<std::string>& extra_names);

/// Always (re)creates `dir/cert.pem` and `dir/key.pem` with exactly `names` (DNS names or IP
/// literals) as subjectAltName, no defaults added. ensure_self_signed_certificate() builds on it;
/// tests use it for certificates whose names deliberately do not match.
SelfSignedResult create_self_signed_certificate(const std::filesystem::path& dir,
                                                const std::vector<std::string>& names);

}  // namespace bookbridge::transport
