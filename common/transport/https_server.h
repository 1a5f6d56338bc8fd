#pragma once

// The HTTPS + WebSocket server the hub runs on. Beast/Asio stay inside https_server.cpp.
//
// Threading: one coroutine per TCP connection on an internal io_context (run by `io_threads`).
// The request handler may block (it talks to SQLite), so it runs on a separate worker pool,
// never on an io thread. Every network step has a deadline.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "transport/http_types.h"

namespace bookbridge::transport {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 picks a free port; see HttpsServer::port()
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  std::size_t max_body_bytes = 64 * 1024 * 1024;  ///< larger bodies get 413
  std::chrono::seconds header_timeout{30};        ///< deadline for reading one request
  std::chrono::seconds idle_timeout{75};          ///< keep-alive idle deadline
  int io_threads = 2;
  int worker_threads = 4;
  /// Deadline for reading one request body and for writing one response.
  std::chrono::seconds transfer_timeout{120};
  /// A WebSocket session silent this long is dead (pinged at half of it; docs/protocol.md).
  std::chrono::seconds ws_idle_timeout{60};
};

/// What the hub tells the server about WebSocket upgrades. A request whose path equals
/// `ws_path` and that asks for an upgrade goes to `authorize` first (on a worker thread; it may
/// block). A request on `ws_path` without an upgrade goes to the normal handler.
///
/// on_presence and on_message run on worker threads, one at a time and in the order things
/// happened (one serialised queue for all sessions), so a session's presence(true) comes before
/// its messages and presence(false) after them. Sessions time out after ws_idle_timeout (60 s) of
/// silence (the server pings when the line is quiet); agent messages are limited to 1 MiB.
struct WebSocketHooks {
  std::string ws_path;  ///< e.g. "/agent/v1/ws"; empty disables WebSocket
  /// Returns the session key (e.g. a connection id) to accept, or nullopt to refuse; on refusal
  /// `reject` is sent as a normal HTTP response (e.g. 401 with an error body).
  std::function<std::optional<std::string>(const HttpRequest&, HttpResponse& reject)> authorize;
  /// Presence per key: (key, true) when the first session of `key` opens, (key, false) when the
  /// last one closes. A reconnecting agent whose old session lingers therefore stays online.
  std::function<void(const std::string& key, bool open)> on_presence;
  /// A text message from the agent (e.g. {"type":"hello",...}); may be empty.
  std::function<void(const std::string& key, std::string_view text)> on_message;
};

/// The handler runs on the worker pool, possibly on several threads at once (one request per
/// connection at a time). Handler exceptions become a 500 without details. The server answers
/// some requests itself with the team's error body (service "Transport"): 400 malformed HTTP,
/// 413 body over max_body_bytes, 431 header block over 64 KiB (each followed by a close).
class HttpsServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpsServer(ServerOptions options, Handler handler, WebSocketHooks ws_hooks = {});
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  /// Loads the certificate, binds and starts accepting. Throws std::runtime_error (startup only)
  /// with a readable message when the key/cert cannot be loaded or the address cannot be bound.
  void start();
  /// The bound port (after start()).
  std::uint16_t port() const;

  /// Wakes every parked long-poll whose Wait key is `key` and sends {"type":"wake"} to every
  /// WebSocket session with that key. Thread-safe; cheap when nobody waits. No wake-up is lost:
  /// a notify that comes while a handler is still deciding to return a Wait (after the request
  /// arrived) makes that Wait end at once.
  ///
  /// Long-poll contract: the handler is called again with the same request after the wake-up
  /// (wait_timed_out=false) or the timeout (wait_timed_out=true). After a wake-up it may return a
  /// Wait again (e.g. another agent took the work); that wait ends at the first Wait's deadline.
  /// After a timeout it must answer (a Wait then gets a 500). stop() ends parked waits as timed
  /// out.
  void notify(const std::string& key);
  /// Closes the WebSocket sessions of `key` (e.g. when a credential is revoked).
  void disconnect(const std::string& key);

  /// Graceful stop: stop accepting, let in-flight requests finish (up to `grace`), close
  /// WebSockets with "going away", then stop the threads. Idempotent; the destructor calls it
  /// (with the default grace). Replies during the stop carry "Connection: close". After `grace`
  /// the remaining connections are cut; a handler still running is waited for (handlers must
  /// return). Never call it from a handler or hook (it joins their threads).
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookbridge::transport
