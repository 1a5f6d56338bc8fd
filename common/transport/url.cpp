#include "transport/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif

namespace bookbridge::transport {

namespace {

std::optional<Url> fail(std::string* error, std::string message) {
  if (error)
    *error = std::move(message);
  return std::nullopt;
}

bool is_ipv6_literal(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool valid_host_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string Url::origin() const {
  bool ipv6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://";
  out += ipv6 ? "[" + host + "]" : host;
  out += ":" + std::to_string(port);
  return out;
}

std::optional<Url> parse_url(std::string_view text, std::string* error) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F)
      return fail(error, "URL contains spaces or control characters");
  }
  auto colon = text.find("://");
  if (colon == std::string_view::npos)
    return fail(error, "URL has no scheme (expected https://)");
  std::string scheme(text.substr(0, colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "https" && scheme != "wss") {
    return fail(error, "URL scheme '" + scheme + "' is not supported (only https and wss)");
  }
  std::string_view rest = text.substr(colon + 3);
  auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return fail(error, "URL must not contain user information");
  }

  Url url;
  url.scheme = scheme;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return fail(error, "URL has an unclosed '[' in the host");
    url.host = std::string(authority.substr(1, close - 1));
    if (!is_ipv6_literal(url.host)) {
      return fail(error, "URL host '[" + url.host + "]' is not an IPv6 address");
    }
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return fail(error, "URL has unexpected text after ']'");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    auto port_colon = authority.find(':');
    url.host = std::string(authority.substr(0, port_colon));
    if (port_colon != std::string_view::npos) {
      port_text = authority.substr(port_colon + 1);
      has_port = true;
    }
    if (!std::all_of(url.host.begin(), url.host.end(), valid_host_char)) {
      return fail(error, "URL host '" + url.host + "' contains invalid characters");
    }
    std::transform(url.host.begin(), url.host.end(), url.host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  if (url.host.empty())
    return fail(error, "URL has no host");
  if (has_port) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        value == 0 || value > 65535) {
      return fail(error, "URL port '" + std::string(port_text) + "' is not a number in 1-65535");
    }
    url.port = static_cast<std::uint16_t>(value);
  }

  // The fragment never goes on the wire.
  tail = tail.substr(0, tail.find('#'));
  if (tail.empty()) {
    url.target = "/";
  } else if (tail.front() == '?') {
    url.target = "/" + std::string(tail);
  } else {
    url.target = std::string(tail);
  }
  return url;
}

}  // namespace bookbridge::transport
