// HttpsClient: a blocking facade over coroutines on one internal io_context thread. Idle
// keep-alive connections are pooled and reused; each request in flight has its own connection.

#include "transport/https_client.h"

#include <future>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "asio_detail.h"

namespace bookbridge::transport {

using namespace detail;

namespace {

constexpr std::size_t kMaxIdleConnections = 8;
/// Idle connections older than this are dropped rather than reused: the server (75 s idle
/// deadline by default) may be about to close them.
constexpr std::chrono::seconds kMaxIdleAge{50};

struct Connection {
  explicit Connection(asio::io_context& ioc, ssl::context& ctx)
      : stream(ioc.get_executor(), ctx),
        resolver(std::make_shared<tcp::resolver>(stream.get_executor())) {}
  TlsStream stream;
  std::shared_ptr<tcp::resolver> resolver;
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
};

struct Exchange {
  error_code ec;
  bool got_response_bytes = false;
  bool keep_alive = false;
  HttpResponse response;
};

}  // namespace

class HttpsClient::Impl {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)) {
    base_ = parse_base_url_or_throw(options_.base_url);
    configure_client_context(ssl_ctx_, options_.ca_file);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~Impl() {
    cancel_all();
    work_.reset();
    thread_.join();
  }

  ClientResult request(const ClientRequest& request) {
    if (canceled_)
      return std::make_error_code(std::errc::operation_canceled);
    auto promise = std::make_shared<std::promise<ClientResult>>();
    auto future = promise->get_future();
    asio::co_spawn(ioc_, perform(request, promise), asio::detached);
    return future.get();
  }

  void cancel_all() {
    canceled_ = true;
    asio::post(ioc_, [this] {
      idle_.clear();
      for (auto* connection : active_) {
        connection->resolver->cancel();
        beast::get_lowest_layer(connection->stream).close();
      }
    });
  }

 private:
  asio::awaitable<void> perform(ClientRequest request,
                                std::shared_ptr<std::promise<ClientResult>> promise) {
    try {
      auto op = attempt(request);
      ClientResult result = co_await std::move(op);
      promise->set_value(std::move(result));
    } catch (const std::exception&) {
      promise->set_value(std::make_error_code(std::errc::io_error));
    }
  }

  asio::awaitable<ClientResult> attempt(const ClientRequest& request) {
    bool valid = is_valid_target(request.target);
    for (const auto& [name, value] : request.headers) {
      valid = valid && is_valid_header(name, value);
    }
    if (!valid) {
      co_return std::make_error_code(std::errc::invalid_argument);
    }
    std::unique_ptr<Connection> connection = take_idle();
    bool reused = connection != nullptr;
    for (;;) {
      if (!connection)
        connection = std::make_unique<Connection>(ioc_, ssl_ctx_);
      if (canceled_)
        co_return std::make_error_code(std::errc::operation_canceled);
      active_.insert(connection.get());
      struct Untrack {
        std::set<Connection*>& set;
        Connection* c;
        ~Untrack() { set.erase(c); }
      } untrack{active_, connection.get()};

      if (!reused) {
        auto op =
            connect_tls(connection->stream, connection->resolver, base_, options_.connect_timeout);
        auto ec = co_await std::move(op);
        if (ec)
          co_return map_error(ec);
      }
      auto op = exchange_once(*connection, request);
      Exchange exchange = co_await std::move(op);
      if (!exchange.ec) {
        if (exchange.keep_alive && connection->buffer.size() == 0 && !canceled_) {
          connection->idle_since = std::chrono::steady_clock::now();
          give_back(std::move(connection));
        }
        co_return std::move(exchange.response);
      }
      // A reused keep-alive connection the server closed meanwhile: once more on a fresh one.
      bool retry = reused && !exchange.got_response_bytes && !canceled_ &&
                   exchange.ec != beast::error::timeout &&
                   exchange.ec != asio::error::operation_aborted;
      if (!retry)
        co_return map_error(exchange.ec);
      connection.reset();
      reused = false;
    }
  }

  asio::awaitable<Exchange> exchange_once(Connection& connection, const ClientRequest& request) {
    Exchange out;
    http::request<http::string_body> req;
    req.version(11);
    if (auto verb = http::string_to_verb(request.method); verb != http::verb::unknown) {
      req.method(verb);
    } else {
      req.method_string(request.method);
    }
    req.target(join_target(base_, request.target));
    req.set(http::field::host, host_header(base_));
    req.set(http::field::user_agent, options_.user_agent);
    for (const auto& [name, value] : request.headers) {
      if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Host") ||
          beast::iequals(name, "Transfer-Encoding")) {
        continue;
      }
      req.set(name, value);
    }
    if (!request.body.empty() && req.find(http::field::content_type) == req.end()) {
      req.set(http::field::content_type, "application/json");
    }
    req.keep_alive(true);
    req.body() = request.body;
    req.prepare_payload();

    auto timeout = request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
    auto& tcp_layer = beast::get_lowest_layer(connection.stream);
    tcp_layer.expires_after(timeout);  // one deadline for the whole exchange
    auto [wec, wn] = co_await http::async_write(connection.stream, req, kTuple);
    if (wec) {
      out.ec = wec;
      co_return out;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(options_.max_response_bytes);
    parser.header_limit(kHeaderLimit);
    parser.skip(req.method() == http::verb::head);  // a HEAD reply announces a body it never sends
    auto [rec, rn] =
        co_await http::async_read(connection.stream, connection.buffer, parser, kTuple);
    out.got_response_bytes = parser.got_some();
    if (rec) {
      out.ec = rec;
      co_return out;
    }
    tcp_layer.expires_never();
    auto& res = parser.get();
    out.keep_alive = res.keep_alive();
    out.response.status = res.result_int();
    out.response.headers = to_headers(res);
    out.response.body = std::move(res.body());
    co_return out;
  }

  std::error_code map_error(const error_code& ec) const {
    if (canceled_ && (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
                      ec == beast::error::timeout)) {
      return std::make_error_code(std::errc::operation_canceled);
    }
    if (ec == http::error::body_limit)
      return std::make_error_code(std::errc::message_size);
    return to_std_error(ec);
  }

  std::unique_ptr<Connection> take_idle() {
    auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (now - connection->idle_since < kMaxIdleAge)
        return connection;
    }
    return nullptr;
  }

  void give_back(std::unique_ptr<Connection> connection) {
    if (idle_.size() >= kMaxIdleConnections)
      idle_.erase(idle_.begin());
    idle_.push_back(std::move(connection));
  }

  ClientOptions options_;
  Url base_;
  ssl::context ssl_ctx_{ssl::context::tls_client};
  std::atomic<bool> canceled_{false};
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  // io thread only; declared after ioc_ so they are destroyed before it.
  std::vector<std::unique_ptr<Connection>> idle_;
  std::set<Connection*> active_;
  std::thread thread_;
};

HttpsClient::HttpsClient(ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;
ClientResult HttpsClient::request(const ClientRequest& request) {
  return impl_->request(request);
}
void HttpsClient::cancel_all() {
  impl_->cancel_all();
}

}  // namespace bookbridge::transport
