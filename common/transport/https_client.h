#pragma once

// HTTPS and WebSocket clients for the agent. Beast/Asio stay inside the .cpp files.
//
// The implementation runs C++20 coroutines on its own io_context thread, one coroutine per
// connection, with a deadline on every step (resolve, connect, TLS handshake, write, read).
// The public API is a blocking facade so that dataset workers (plain threads) can call it.
// TLS: always verify the peer and the host name; TLS 1.2 minimum; trust the system store plus
// `ca_file` when given. There is deliberately no way to turn verification off.

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "transport/http_types.h"

namespace bookbridge::transport {

struct ClientOptions {
  std::string base_url;           ///< e.g. "https://hub.example:8443"; request paths are appended
  std::filesystem::path ca_file;  ///< optional extra trust anchor (PEM), e.g. a private CA
  std::chrono::seconds connect_timeout{15};
  std::chrono::seconds request_timeout{60};  ///< whole request/response deadline
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  std::string user_agent = "bookbridge-agent";
  /// WebSocketClient: a session silent this long is dead (pinged at half of it).
  std::chrono::seconds ws_idle_timeout{60};
};

struct ClientRequest {
  std::string method = "GET";
  std::string target;  ///< path + query, e.g. "/agent/v1/poll?wait=25"
  Headers headers;
  std::string body;
  /// Overrides ClientOptions::request_timeout for this request (long-poll needs longer).
  std::chrono::seconds timeout{0};
};

/// Transport failures (connect refused, TLS verification failed, timeout, ...) come back as an
/// error_code; any HTTP status (including 4xx/5xx) is a successful HttpResponse. Portable checks:
/// `ec == std::errc::timed_out` (any deadline), `std::errc::operation_canceled` (cancel_all),
/// `std::errc::message_size` (reply over max_response_bytes), `std::errc::connection_refused`;
/// the rest (TLS, DNS, protocol) carry Asio/Beast categories with readable message()s.
using ClientResult = boost::system::result<HttpResponse, std::error_code>;

class HttpsClient {
 public:
  /// Throws std::runtime_error when base_url is not an https URL or ca_file cannot be loaded.
  explicit HttpsClient(ClientOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  /// Blocking; thread-safe (requests from several threads may run concurrently on separate
  /// connections). Keeps connections alive and reconnects when the server closed one.
  ClientResult request(const ClientRequest& request);

  /// Aborts every request in flight (they return operation_canceled) and refuses new ones.
  void cancel_all();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// A WebSocket control channel (wss://) with the same TLS rules as HttpsClient.
class WebSocketClient {
 public:
  using MessageHandler = std::function<void(std::string_view text)>;

  explicit WebSocketClient(ClientOptions options);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  /// Connects and upgrades (blocking, with deadlines). A refused upgrade (HTTP status other than
  /// 101) returns an error; `http_status` then holds the status the server sent.
  std::error_code connect(std::string_view target, const Headers& headers,
                          unsigned* http_status = nullptr);
  /// Reads until the session ends; calls `on_message` for each text frame (on the caller's
  /// thread). Returns the reason it ended: std::errc::operation_canceled after close(), otherwise
  /// the peer's close (e.g. the hub stopping or revoking), the ping/pong liveness timeout
  /// (ws_idle_timeout) or a network error. connect() may be called again afterwards to start a new
  /// session.
  std::error_code run(const MessageHandler& on_message);
  /// Sends a text frame (thread-safe).
  std::error_code send(std::string_view text);
  /// Closes with "going away" (thread-safe); run() then returns.
  void close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookbridge::transport
