// HttpsServer: WebSocket sessions (authorize on a worker, presence, wake-ups, disconnect).

#include "server_impl.h"

namespace bookbridge::transport {

using namespace detail;

namespace {

/// Agents send small JSON messages; anything bigger is a broken or hostile peer.
constexpr std::size_t kWsMaxMessage = 1024 * 1024;

}  // namespace

class HttpsServer::Impl::WsSession {
 public:
  WsSession(TlsStream stream, std::string session_key)
      : ws(std::move(stream)), key(std::move(session_key)) {}

  /// Writes the queued messages, one at a time (Beast allows one write in flight).
  static void start_writer(const std::shared_ptr<WsSession>& session) {
    session->writing = true;
    asio::co_spawn(
        session->ws.get_executor(),
        [session]() -> asio::awaitable<void> {
          while (!session->outbox.empty() && !session->closing) {
            session->ws.text(true);
            auto [ec, n] =
                co_await session->ws.async_write(asio::buffer(session->outbox.front()), kTuple);
            if (ec) {
              session->outbox.clear();
              break;
            }
            session->outbox.pop_front();
          }
          session->writing = false;
        },
        asio::detached);
  }

  /// Beast allows one close alongside the pending read and write; the read loop then ends.
  static void start_close(const std::shared_ptr<WsSession>& session) {
    asio::co_spawn(
        session->ws.get_executor(),
        [session]() -> asio::awaitable<void> {
          websocket::close_reason reason(session->close_code);
          auto [ec] = co_await session->ws.async_close(reason, kTuple);
          if (ec)
            beast::get_lowest_layer(session->ws).close();
        },
        asio::detached);
  }

  WsStream ws;
  const std::string key;
  // Touched only on the session's strand (ws.get_executor()).
  std::deque<std::string> outbox;
  bool accepted = false;  ///< handshake done: writes and close may start
  bool writing = false;
  bool closing = false;
  websocket::close_code close_code = websocket::close_code::going_away;
  // Guarded by Impl::mutex_.
  bool counted = false;  ///< included in open_sessions_per_key_
};

void HttpsServer::Impl::send_ws_text(const std::shared_ptr<WsSession>& session, std::string text) {
  asio::post(session->ws.get_executor(), [session, text = std::move(text)]() mutable {
    if (session->closing)
      return;
    session->outbox.push_back(std::move(text));
    if (session->accepted && !session->writing)
      WsSession::start_writer(session);
  });
}

void HttpsServer::Impl::close_ws(const std::shared_ptr<WsSession>& session,
                                 websocket::close_code code) {
  asio::post(session->ws.get_executor(), [session, code] {
    if (session->closing)
      return;
    session->closing = true;
    session->close_code = code;
    if (session->accepted)
      WsSession::start_close(session);
  });
}

template <class F>
void HttpsServer::Impl::post_ws_callback(F&& f) {
  asio::post(ws_callbacks_, [f = std::forward<F>(f)] {
    try {
      f();
    } catch (...) {
      // A failing hook must not take the server down; the hub logs its own errors.
    }
  });
}

void HttpsServer::Impl::add_session(const std::shared_ptr<WsSession>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session->key, session);
}

void HttpsServer::Impl::mark_session_open(const std::shared_ptr<WsSession>& session) {
  std::lock_guard lock(mutex_);
  session->counted = true;
  if (++open_sessions_per_key_[session->key] == 1 && hooks_.on_presence) {
    post_ws_callback([this, key = session->key] { hooks_.on_presence(key, true); });
  }
}

void HttpsServer::Impl::remove_session(const std::shared_ptr<WsSession>& session) {
  std::lock_guard lock(mutex_);
  auto range = sessions_.equal_range(session->key);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second == session) {
      sessions_.erase(it);
      break;
    }
  }
  if (!session->counted)
    return;
  session->counted = false;
  auto count = open_sessions_per_key_.find(session->key);
  if (count != open_sessions_per_key_.end() && --count->second == 0) {
    open_sessions_per_key_.erase(count);
    if (hooks_.on_presence) {
      post_ws_callback([this, key = session->key] { hooks_.on_presence(key, false); });
    }
  }
}

asio::awaitable<void> HttpsServer::Impl::serve_websocket(TlsStream stream,
                                                         http::request<http::string_body> upgrade,
                                                         std::shared_ptr<HttpRequest> request,
                                                         std::shared_ptr<Connection> connection) {
  // authorize may look up credentials in the database: run it on a worker.
  HttpResponse reject;
  auto authorize = [this, request, &reject]() -> asio::awaitable<std::optional<std::string>> {
    try {
      if (hooks_.authorize)
        co_return hooks_.authorize(*request, reject);
      reject = error_response(404, "WebSocket endpoint not available");
    } catch (...) {
      reject = error_response(500, "Internal error while authorizing the WebSocket");
    }
    co_return std::nullopt;
  };
  auto authorize_op = asio::co_spawn(workers_, std::move(authorize), asio::use_awaitable);
  auto key = co_await std::move(authorize_op);
  if (!key) {
    if (reject.status < 400 || reject.wait)
      reject = error_response(403, "WebSocket refused");
    reject.wait.reset();
    auto op = write_response(stream, std::move(reject), false, false);
    co_await std::move(op);
    co_return;
  }

  auto session = std::make_shared<WsSession>(std::move(stream), *key);
  auto& ws = session->ws;
  beast::get_lowest_layer(ws).expires_never();
  auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeout.idle_timeout = options_.ws_idle_timeout;
  timeout.keep_alive_pings = true;
  ws.set_option(timeout);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "bookbridge"); }));
  ws.read_message_max(kWsMaxMessage);
  connection->shutdown = [session](bool force) {
    if (force) {
      beast::get_lowest_layer(session->ws).close();
    } else {
      close_ws(session, websocket::close_code::going_away);
    }
  };

  // Registered before the 101 goes out: a notify() from then on reaches this session (queued
  // until the handshake is done), so an agent that claims right after connecting misses nothing.
  add_session(session);
  auto [aec] = co_await ws.async_accept(upgrade, kTuple);
  if (aec) {
    remove_session(session);
    co_return;
  }
  session->accepted = true;
  mark_session_open(session);
  if (stopping_)
    close_ws(session, websocket::close_code::going_away);
  if (session->closing) {
    WsSession::start_close(session);
  } else if (!session->outbox.empty() && !session->writing) {
    WsSession::start_writer(session);
  }

  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, kTuple);
    if (ec)
      break;
    if (ws.got_text() && hooks_.on_message) {
      post_ws_callback([this, key = session->key, text = beast::buffers_to_string(buffer.data())] {
        hooks_.on_message(key, text);
      });
    }
    buffer.consume(buffer.size());
  }
  beast::get_lowest_layer(ws).close();
  remove_session(session);
}

}  // namespace bookbridge::transport
