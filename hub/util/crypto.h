#pragma once

// Randomness, hashes and encodings (OpenSSL). Secrets are only ever stored as SHA-256 hex.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bookbridge::hub {

/// Cryptographically random bytes (OpenSSL RAND_bytes); throws std::runtime_error on failure.
std::string random_bytes(std::size_t count);
/// Random UUID v4, lower case ("3f2c...-...").
std::string new_uuid();

std::string hex(std::string_view bytes);
std::string sha256_hex(std::string_view data);
/// HMAC-SHA256(key, data) as raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string base64url_encode(std::string_view bytes);  ///< no padding
std::string base64_encode(std::string_view bytes);     ///< standard alphabet, padded
/// Standard base64 (padding optional); nullopt on invalid input.
std::optional<std::string> base64_decode(std::string_view text);

/// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  ///< finishes the hash

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookbridge::hub
