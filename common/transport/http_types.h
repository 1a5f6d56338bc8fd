#pragma once

// Plain HTTP request/response values shared by the server and the client. No Beast or Asio here:
// code outside common/transport/ only ever sees these types.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookbridge::transport {

/// Header map with case-insensitive names (HTTP field names are case-insensitive).
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< raw request target, e.g. "/companies?page=2"
  std::string path;    ///< percent-decoded path without the query, e.g. "/companies"
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded query parameters, in order
  Headers headers;
  std::string body;
  std::string remote_address;  ///< peer IP, for logs
  /// Server-local number of the TCP connection the request came on (for logs; requests on one
  /// keep-alive connection share it).
  std::uint64_t connection_id = 0;
  bool wait_timed_out = false;  ///< set when the handler is re-run after a Wait expired

  /// First value of a query parameter, if present.
  std::optional<std::string> query_param(std::string_view name) const;
  /// Header value, if present.
  std::optional<std::string> header(std::string_view name) const;
};

/// Asks the server to park a request (long-poll) until `HttpsServer::notify(key)` is called or
/// `timeout` passes; the server then calls the handler again with the same request (with
/// `wait_timed_out` set when it expired). The parked request holds no worker thread.
struct Wait {
  std::string key;
  std::chrono::milliseconds timeout{25'000};
};

struct HttpResponse {
  unsigned status = 200;
  Headers headers;  ///< Content-Type defaults to application/json when body is non-empty
  std::string body;
  std::optional<Wait> wait;  ///< see Wait; when set, status/body are ignored

  static HttpResponse json(unsigned status, std::string body);
  static HttpResponse no_content();
};

/// Splits "a=1&b=x%20y" into decoded pairs ('+' decodes to space).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
/// Percent-decodes; returns nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);
std::string percent_encode(std::string_view text);

}  // namespace bookbridge::transport
