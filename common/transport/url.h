#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookbridge::transport {

/// An https:// or wss:// URL split into parts. Only https/wss are accepted: Bookbridge never
/// speaks plain HTTP.
struct Url {
  std::string scheme;  ///< "https" or "wss"
  std::string host;    ///< without brackets for IPv6
  std::uint16_t port = 443;
  std::string target;  ///< path + query, at least "/"

  /// "https://host:port" (brackets around IPv6 hosts).
  std::string origin() const;
};

/// Parses an absolute https/wss URL; nullopt with `error` set on anything else.
std::optional<Url> parse_url(std::string_view text, std::string* error = nullptr);

}  // namespace bookbridge::transport
