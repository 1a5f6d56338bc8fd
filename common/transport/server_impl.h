#pragma once

// Private to common/transport: the HttpsServer implementation shared by https_server.cpp (life
// cycle, accept, notify), server_http.cpp (HTTP/1.1 sessions, long-poll parking) and
// server_websocket.cpp (WebSocket sessions).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "asio_detail.h"
#include "transport/https_server.h"

namespace bookbridge::transport {

class HttpsServer::Impl {
 public:
  Impl(ServerOptions options, Handler handler, WebSocketHooks hooks);
  ~Impl();

  void start();
  std::uint16_t port() const { return port_.load(); }
  void notify(const std::string& key);
  void disconnect(const std::string& key);
  void stop(std::chrono::milliseconds grace);

 private:
  using Executor = detail::asio::any_io_executor;

  /// One TCP connection, tracked so that stop() can reach it. Touched only on its strand.
  struct Connection {
    Executor executor;
    /// What stop() does to this connection: (force=false) the polite step for its current
    /// state (close an idle keep-alive, close a WebSocket with going_away), (force=true) abort.
    std::function<void(bool force)> shutdown;
  };

  /// A long-poll request parked on a Wait.
  struct Parked {
    explicit Parked(const Executor& executor) : timer(executor) {}
    detail::asio::steady_timer timer;
    bool woken = false;  ///< guarded by mutex_
  };

  class WsSession;

  // https_server.cpp
  detail::asio::awaitable<void> accept_loop();
  bool register_connection(const std::shared_ptr<Connection>& connection);
  void unregister_connection(const std::shared_ptr<Connection>& connection);
  template <class F>
  void post_to_connections(F&& f);

  // server_http.cpp
  detail::asio::awaitable<void> run_connection(detail::tcp::socket socket);
  detail::asio::awaitable<HttpResponse> call_handler(std::shared_ptr<HttpRequest> request);
  detail::asio::awaitable<HttpResponse> respond(std::shared_ptr<HttpRequest> request);
  detail::asio::awaitable<void> write_response(detail::TlsStream& stream, HttpResponse response,
                                               bool head, bool keep_alive);
  detail::asio::awaitable<void> reject_and_close(detail::TlsStream& stream, unsigned status,
                                                 std::string_view message);

  // server_websocket.cpp
  detail::asio::awaitable<void> serve_websocket(
      detail::TlsStream stream, detail::http::request<detail::http::string_body> upgrade,
      std::shared_ptr<HttpRequest> request, std::shared_ptr<Connection> connection);
  static void send_ws_text(const std::shared_ptr<WsSession>& session, std::string text);
  static void close_ws(const std::shared_ptr<WsSession>& session,
                       detail::websocket::close_code code);
  void add_session(const std::shared_ptr<WsSession>& session);
  void mark_session_open(const std::shared_ptr<WsSession>& session);
  void remove_session(const std::shared_ptr<WsSession>& session);
  template <class F>
  void post_ws_callback(F&& f);

  ServerOptions options_;
  Handler handler_;
  WebSocketHooks hooks_;
  detail::ssl::context ssl_ctx_{detail::ssl::context::tls_server};
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> next_connection_id_{0};

  std::mutex mutex_;
  std::condition_variable connections_changed_;
  bool start_attempted_ = false;
  bool started_ = false;  ///< start() succeeded
  bool stopped_ = false;
  std::set<std::shared_ptr<Connection>> connections_;
  std::multimap<std::string, std::shared_ptr<Parked>> parked_;
  /// Lost-wake-up guard: notify() sequence numbers, per key. A request remembers the sequence
  /// before running its handler; a notify for its key after that wakes it even if it came before
  /// the request was parked.
  std::uint64_t notify_seq_ = 0;
  std::uint64_t forget_floor_ = 0;  ///< requests older than this count as woken (map was pruned)
  std::unordered_map<std::string, std::uint64_t> last_notified_;
  std::multimap<std::string, std::shared_ptr<WsSession>> sessions_;
  std::map<std::string, int> open_sessions_per_key_;

  // Destroyed in reverse order: the io_context (and with it every coroutine frame) goes first,
  // while everything the frames point at is still alive.
  detail::asio::thread_pool workers_;
  /// Serialises WebSocket callbacks (presence, messages) in the order they happened.
  detail::asio::strand<detail::asio::thread_pool::executor_type> ws_callbacks_;
  detail::asio::io_context ioc_;
  std::optional<detail::asio::executor_work_guard<detail::asio::io_context::executor_type>> work_;
  std::optional<detail::tcp::acceptor> acceptor_;
  std::vector<std::thread> io_threads_;
};

}  // namespace bookbridge::transport
