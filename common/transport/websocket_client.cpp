// WebSocketClient: the agent's control channel. Coroutines run on an internal io_context thread;
// connect/run/send/close are blocking calls that wait on a future.

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "asio_detail.h"
#include "transport/https_client.h"

namespace bookbridge::transport {

using namespace detail;

class WebSocketClient::Impl {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)) {
    base_ = parse_base_url_or_throw(options_.base_url);
    configure_client_context(ssl_ctx_, options_.ca_file);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~Impl() {
    close();
    // Whatever is still pending (a read nobody waits for) ends with the socket.
    run_blocking([this]() -> asio::awaitable<int> {
      if (ws_)
        beast::get_lowest_layer(*ws_).close();
      co_return 0;
    });
    work_.reset();
    thread_.join();
  }

  std::error_code connect(std::string_view target, const Headers& headers, unsigned* status) {
    if (status)
      *status = 0;
    bool valid = is_valid_target(target);
    for (const auto& [name, value] : headers) {
      valid = valid && is_valid_header(name, value);
    }
    if (!valid) {
      return std::make_error_code(std::errc::invalid_argument);
    }
    std::lock_guard lock(send_mutex_);
    auto [ec, http_status] =
        run_blocking([this, target = std::string(target),
                      headers]() -> asio::awaitable<std::pair<error_code, unsigned>> {
          auto op = do_connect(target, headers);
          co_return co_await std::move(op);
        });
    if (status)
      *status = http_status;
    return to_std_error(ec);
  }

  std::error_code run(const MessageHandler& on_message) {
    for (;;) {
      auto [ec, text] =
          run_blocking([this]() -> asio::awaitable<std::pair<error_code, std::string>> {
            auto ws = ws_;  // a later connect() may replace ws_; this read keeps its stream
            if (!ws || !ws->is_open())
              co_return std::pair{error_code(asio::error::not_connected), std::string()};
            auto [rec, n] = co_await ws->async_read(read_buffer_, kTuple);
            std::string message;
            if (!rec) {
              if (ws->got_text())
                message = beast::buffers_to_string(read_buffer_.data());
              read_buffer_.consume(read_buffer_.size());
            }
            co_return std::pair{rec, std::move(message)};
          });
      if (ec) {
        if (closed_by_us_)
          return std::make_error_code(std::errc::operation_canceled);
        return to_std_error(ec);
      }
      if (on_message)
        on_message(text);
    }
  }

  std::error_code send(std::string_view text) {
    std::lock_guard lock(send_mutex_);  // Beast allows one write at a time
    auto ec = run_blocking([this, text = std::string(text)]() -> asio::awaitable<error_code> {
      if (!ws_ || !ws_->is_open() || closing_)
        co_return asio::error::not_connected;
      ws_->text(true);
      auto ws = ws_;
      auto [wec, n] = co_await ws->async_write(asio::buffer(text), kTuple);
      co_return wec;
    });
    return to_std_error(ec);
  }

  void close() {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    asio::post(ioc_, [this, done] {
      if (!ws_ || !ws_->is_open() || closing_) {
        done->set_value();
        return;
      }
      closing_ = true;
      closed_by_us_ = true;
      asio::co_spawn(
          ioc_,
          [ws = ws_, done]() -> asio::awaitable<void> {
            websocket::close_reason reason(websocket::close_code::going_away);
            auto [ec] = co_await ws->async_close(reason, kTuple);
            if (ec)
              beast::get_lowest_layer(*ws).close();
            done->set_value();
          },
          asio::detached);
    });
    // The close handshake is bounded by the stream's own timeout; don't hang a shutdown on a
    // peer that never answers.
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      asio::post(ioc_, [this] {
        if (ws_)
          beast::get_lowest_layer(*ws_).close();
      });
    }
  }

 private:
  template <class MakeAwaitable>
  auto run_blocking(MakeAwaitable make) ->
      typename std::invoke_result_t<MakeAwaitable&>::value_type {
    using Result = typename std::invoke_result_t<MakeAwaitable&>::value_type;
    auto promise = std::make_shared<std::promise<Result>>();
    auto future = promise->get_future();
    asio::co_spawn(
        ioc_,
        [make = std::move(make), promise]() mutable -> asio::awaitable<void> {
          auto op = make();
          Result result = co_await std::move(op);
          promise->set_value(std::move(result));
        },
        asio::detached);
    return future.get();
  }

  asio::awaitable<std::pair<error_code, unsigned>> do_connect(std::string target, Headers headers) {
    if (ws_ && ws_->is_open())
      co_return std::pair{error_code(asio::error::already_connected), 0u};
    closing_ = false;
    closed_by_us_ = false;
    read_buffer_.clear();
    auto stream = std::make_unique<TlsStream>(ioc_.get_executor(), ssl_ctx_);
    auto resolver = std::make_shared<tcp::resolver>(ioc_.get_executor());
    auto connect_op = connect_tls(*stream, resolver, base_, options_.connect_timeout);
    auto ec = co_await std::move(connect_op);
    if (ec)
      co_return std::pair{ec, 0u};

    ws_ = std::make_shared<WsStream>(std::move(*stream));
    beast::get_lowest_layer(*ws_).expires_never();  // the websocket timeouts take over
    auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeout.handshake_timeout = options_.connect_timeout;
    timeout.idle_timeout = options_.ws_idle_timeout;  // liveness: ping when quiet, then give up
    timeout.keep_alive_pings = true;
    ws_->set_option(timeout);
    ws_->read_message_max(options_.max_response_bytes);
    ws_->set_option(websocket::stream_base::decorator(
        [headers = std::move(headers), agent = options_.user_agent](websocket::request_type& req) {
          req.set(http::field::user_agent, agent);
          for (const auto& [name, value] : headers)
            req.set(name, value);
        }));
    websocket::response_type response;
    std::string host = host_header(base_);
    std::string path = join_target(base_, target);
    auto [hec] = co_await ws_->async_handshake(response, host, path, kTuple);
    unsigned status = response.result_int();
    if (hec) {
      ws_.reset();
      co_return std::pair{hec, status};
    }
    co_return std::pair{error_code{}, status};
  }

  ClientOptions options_;
  Url base_;
  ssl::context ssl_ctx_{ssl::context::tls_client};
  std::mutex send_mutex_;
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  // io thread only; declared after ioc_ so they are destroyed before it.
  std::shared_ptr<WsStream> ws_;
  beast::flat_buffer read_buffer_;
  bool closing_ = false;
  std::atomic<bool> closed_by_us_{false};
  std::thread thread_;
};

WebSocketClient::WebSocketClient(ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
WebSocketClient::~WebSocketClient() = default;
std::error_code WebSocketClient::connect(std::string_view target, const Headers& headers,
                                         unsigned* http_status) {
  return impl_->connect(target, headers, http_status);
}
std::error_code WebSocketClient::run(const MessageHandler& on_message) {
  return impl_->run(on_message);
}
std::error_code WebSocketClient::send(std::string_view text) {
  return impl_->send(text);
}
void WebSocketClient::close() {
  impl_->close();
}

}  // namespace bookbridge::transport
