// HttpsServer: one coroutine per TCP connection speaking HTTP/1.1 over TLS, handlers on the
// worker pool, long-poll parking.

#include <algorithm>

#include "server_impl.h"

namespace bookbridge::transport {

using namespace detail;

namespace {

template <class F>
struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F>
ScopeExit(F) -> ScopeExit<F>;

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

// Closes without cutting off the reply: after an early answer (413, 400) the client may still be
// sending; closing with unread input would reset the connection and lose the reply.
asio::awaitable<void> lingering_close(TlsStream& stream) {
  auto& tcp_layer = stream.next_layer();
  error_code ignored;
  tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
  tcp_layer.expires_after(std::chrono::seconds(1));
  std::array<char, 16 * 1024> scratch{};
  std::size_t drained = 0;
  while (drained < 4 * 1024 * 1024) {
    auto [ec, n] = co_await tcp_layer.async_read_some(asio::buffer(scratch), kTuple);
    if (ec)
      break;
    drained += n;
  }
  tcp_layer.close();
}

std::shared_ptr<HttpRequest> to_request(http::request<http::string_body>& req,
                                        const std::string& remote, std::uint64_t connection_id) {
  auto request = std::make_shared<HttpRequest>();
  request->method = std::string(req.method_string());
  request->target = std::string(req.target());
  std::string_view target = request->target;
  auto q = target.find('?');
  auto path = percent_decode(target.substr(0, q), false);
  if (!path || path->empty() || path->front() != '/')
    return nullptr;
  request->path = std::move(*path);
  if (q != std::string_view::npos)
    request->query = parse_query(target.substr(q + 1));
  request->headers = to_headers(req);
  request->body = std::move(req.body());
  request->remote_address = remote;
  request->connection_id = connection_id;
  return request;
}

}  // namespace

asio::awaitable<void> HttpsServer::Impl::run_connection(tcp::socket socket) {
  auto connection = std::make_shared<Connection>();
  connection->executor = socket.get_executor();
  if (!register_connection(connection))
    co_return;

  error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string remote;
  if (!ec) {
    auto address = peer.address();
    // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; logs want a.b.c.d.
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    remote = address.to_string();
  }
  std::uint64_t connection_id = ++next_connection_id_;
  TlsStream stream(std::move(socket), ssl_ctx_);
  auto& tcp_layer = stream.next_layer();
  // Declared after the stream so it runs first: nothing may reach the stream once it is gone.
  ScopeExit cleanup{[this, connection] {
    connection->shutdown = nullptr;
    unregister_connection(connection);
  }};
  auto close_now = [&tcp_layer](bool) { tcp_layer.close(); };
  auto close_if_forced = [&tcp_layer](bool force) {
    if (force)
      tcp_layer.close();
  };

  connection->shutdown = close_now;
  tcp_layer.expires_after(options_.header_timeout);
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
  if (hec)
    co_return;

  beast::flat_buffer buffer;
  for (bool first = true; !stopping_; first = false) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    parser.header_limit(kHeaderLimit);

    // Waiting for a request: stop() may close us at once.
    connection->shutdown = close_now;
    tcp_layer.expires_after(first ? options_.header_timeout : options_.idle_timeout);
    auto [rec, rn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    connection->shutdown = close_if_forced;
    if (!rec && !parser.is_done()) {
      auto& header = parser.get();
      if (beast::iequals(header[http::field::expect], "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        tcp_layer.expires_after(options_.transfer_timeout);
        auto [wec, wn] = co_await http::async_write(stream, go_on, kTuple);
        if (wec)
          co_return;
      }
      tcp_layer.expires_after(options_.transfer_timeout);
      auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
      rec = bec;
    }
    if (rec) {
      if (rec == http::error::body_limit) {
        std::string message =
            "Request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes";
        auto op = reject_and_close(stream, 413, message);
        co_await std::move(op);
      } else if (rec == http::error::header_limit) {
        auto op = reject_and_close(stream, 431, "Request header fields too large");
        co_await std::move(op);
      } else if (is_http_error(rec) && rec != http::error::end_of_stream &&
                 rec != http::error::partial_message) {
        std::string message = "Malformed HTTP request: " + rec.message();
        auto op = reject_and_close(stream, 400, message);
        co_await std::move(op);
      }
      co_return;  // clean close, timeout, reset: nothing to answer
    }

    auto& req = parser.get();
    auto request = to_request(req, remote, connection_id);
    if (!request) {
      auto op = reject_and_close(stream, 400, "Malformed request target");
      co_await std::move(op);
      co_return;
    }
    if (!hooks_.ws_path.empty() && request->path == hooks_.ws_path && websocket::is_upgrade(req)) {
      auto op = serve_websocket(std::move(stream), parser.release(), request, connection);
      co_await std::move(op);
      co_return;
    }

    bool head = req.method() == http::verb::head;
    bool keep_alive = req.keep_alive();
    auto respond_op = respond(request);
    HttpResponse response = co_await std::move(respond_op);
    if (auto it = response.headers.find("Connection"); it != response.headers.end()) {
      if (beast::iequals(it->second, "close"))
        keep_alive = false;
    }
    keep_alive = keep_alive && !stopping_;
    auto write_op = write_response(stream, std::move(response), head, keep_alive);
    co_await std::move(write_op);
    if (!keep_alive || !tcp_layer.socket().is_open())
      break;
  }
  // Our side ends the connection after a complete reply: no TLS close_notify round trip (the
  // reply carries its length), just a clean TCP close.
  if (tcp_layer.socket().is_open()) {
    error_code ignored;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
}

asio::awaitable<HttpResponse> HttpsServer::Impl::call_handler(
    std::shared_ptr<HttpRequest> request) {
  auto work = [this, request]() -> asio::awaitable<HttpResponse> {
    try {
      if (handler_)
        co_return handler_(*request);
      co_return error_response(404, "Not found");
    } catch (const std::exception&) {
      // The handler's own logging reports details; the client gets no internals.
    } catch (...) {
    }
    co_return error_response(500, "Internal error while handling the request");
  };
  auto op = asio::co_spawn(workers_, std::move(work), asio::use_awaitable);
  co_return co_await std::move(op);
}

asio::awaitable<HttpResponse> HttpsServer::Impl::respond(std::shared_ptr<HttpRequest> request) {
  std::uint64_t seen = 0;
  {
    std::lock_guard lock(mutex_);
    seen = notify_seq_;
  }
  auto executor = co_await asio::this_coro::executor;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  for (;;) {
    auto op = call_handler(request);
    HttpResponse response = co_await std::move(op);
    if (!response.wait)
      co_return response;
    if (request->wait_timed_out) {
      co_return error_response(500, "Handler asked to wait again after its wait timed out");
    }
    const Wait& wait = *response.wait;
    auto now = std::chrono::steady_clock::now();
    auto timeout = std::clamp(wait.timeout, std::chrono::milliseconds(0),
                              std::chrono::milliseconds(std::chrono::hours(1)));
    if (!deadline)
      deadline = now + timeout;
    auto parked = std::make_shared<Parked>(executor);
    parked->timer.expires_at(std::min(*deadline, now + timeout));
    bool woken = false;
    std::multimap<std::string, std::shared_ptr<Parked>>::iterator entry;
    {
      std::lock_guard lock(mutex_);
      auto it = last_notified_.find(wait.key);
      if (seen < forget_floor_ || (it != last_notified_.end() && it->second > seen)) {
        woken = true;  // the notify came while the handler was deciding to wait
      } else if (stopping_) {
        woken = false;
      } else {
        entry = parked_.emplace(wait.key, parked);
      }
      if (woken || stopping_)
        seen = notify_seq_;
    }
    if (!woken && !stopping_) {
      co_await parked->timer.async_wait(kTuple);
      std::lock_guard lock(mutex_);
      parked_.erase(entry);
      woken = parked->woken;
      seen = notify_seq_;
    }
    request->wait_timed_out = !woken;
  }
}

asio::awaitable<void> HttpsServer::Impl::write_response(TlsStream& stream, HttpResponse response,
                                                        bool head, bool keep_alive) {
  unsigned status = response.status;
  if (status < 100 || status > 999) {
    response = error_response(500, "Handler returned an invalid HTTP status");
    status = 500;
  }
  http::response<http::string_body> res;
  res.version(11);
  res.result(status);
  for (const auto& [name, value] : response.headers) {
    if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
        beast::iequals(name, "Connection") || !is_valid_header(name, value)) {
      continue;
    }
    res.set(name, value);
  }
  bool bodyless = status < 200 || status == 204 || status == 304;
  if (bodyless)
    response.body.clear();
  if (!response.body.empty() && res.find(http::field::content_type) == res.end()) {
    res.set(http::field::content_type, "application/json");
  }
  if (res.find(http::field::server) == res.end())
    res.set(http::field::server, "bookbridge");
  res.keep_alive(keep_alive);
  std::size_t length = response.body.size();
  res.body() = std::move(response.body);
  res.prepare_payload();
  if (head) {
    res.body().clear();
    res.content_length(length);
  }
  auto& tcp_layer = stream.next_layer();
  tcp_layer.expires_after(options_.transfer_timeout);
  auto [ec, n] = co_await http::async_write(stream, res, kTuple);
  if (ec)
    tcp_layer.close();
}

asio::awaitable<void> HttpsServer::Impl::reject_and_close(TlsStream& stream, unsigned status,
                                                          std::string_view message) {
  auto write_op = write_response(stream, error_response(status, message), false, false);
  co_await std::move(write_op);
  if (stream.next_layer().socket().is_open()) {
    auto close_op = lingering_close(stream);
    co_await std::move(close_op);
  }
}

}  // namespace bookbridge::transport
