// HttpsServer life cycle: TLS setup, bind, accept loop, notify/disconnect and graceful stop.

#include <boost/asio/ip/v6_only.hpp>
#include <stdexcept>

#include "server_impl.h"

namespace bookbridge::transport {

using namespace detail;

HttpsServer::Impl::Impl(ServerOptions options, Handler handler, WebSocketHooks hooks)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      hooks_(std::move(hooks)),
      workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
      ws_callbacks_(workers_.get_executor()),
      ioc_(std::max(1, options_.io_threads)) {}

HttpsServer::Impl::~Impl() {
  stop(std::chrono::milliseconds(0));
  std::lock_guard lock(mutex_);
  parked_.clear();
  sessions_.clear();
  connections_.clear();
}

void HttpsServer::Impl::start() {
  {
    std::lock_guard lock(mutex_);
    if (start_attempted_ || stopped_) {
      throw std::runtime_error("HttpsServer::start may be called once, before stop()");
    }
    start_attempted_ = true;
  }
  restrict_to_tls12_or_later(ssl_ctx_);
  ssl_ctx_.set_options(ssl::context::single_dh_use);
  std::error_code fs_ec;
  if (!std::filesystem::is_regular_file(options_.cert_file, fs_ec)) {
    throw std::runtime_error("TLS certificate file '" + options_.cert_file.string() +
                             "' does not exist or is not a file");
  }
  if (!std::filesystem::is_regular_file(options_.key_file, fs_ec)) {
    throw std::runtime_error("TLS key file '" + options_.key_file.string() +
                             "' does not exist or is not a file");
  }
  error_code ec;
  ssl_ctx_.use_certificate_chain_file(options_.cert_file.string(), ec);
  if (ec) {
    throw std::runtime_error("cannot load the TLS certificate '" + options_.cert_file.string() +
                             "': " + ec.message() + " (expected a PEM certificate chain)");
  }
  ssl_ctx_.use_private_key_file(options_.key_file.string(), ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("cannot load the TLS private key '" + options_.key_file.string() +
                             "': " + ec.message() +
                             " (expected a PEM key that matches the certificate)");
  }

  std::string where =
      "https://" +
      (options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host) +
      ":" + std::to_string(options_.port);
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(options_.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(ioc_);
    auto results =
        resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      throw std::runtime_error("cannot listen on " + where + ": host '" + options_.host +
                               "' does not resolve (" + ec.message() + ")");
    }
    endpoint = results.begin()->endpoint();
  }

  acceptor_.emplace(asio::make_strand(ioc_));
  auto bind_fail = [&](const char* step) {
    throw std::runtime_error("cannot listen on " + where + " (" + step + "): " + ec.message());
  };
  acceptor_->open(endpoint.protocol(), ec);
  if (ec)
    bind_fail("socket");
  acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (ec)
    bind_fail("option");
  if (endpoint.address().is_v6()) {
    // "::" means every address, IPv4 included (dual stack on every OS); a specific IPv6
    // address means exactly that one.
    acceptor_->set_option(asio::ip::v6_only(!endpoint.address().is_unspecified()), ec);
  }
  acceptor_->bind(endpoint, ec);
  if (ec)
    bind_fail("bind");
  acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    bind_fail("listen");
  port_ = acceptor_->local_endpoint().port();

  work_.emplace(ioc_.get_executor());
  asio::co_spawn(acceptor_->get_executor(), accept_loop(), asio::detached);
  int threads = std::max(1, options_.io_threads);
  for (int i = 0; i < threads; ++i)
    io_threads_.emplace_back([this] { ioc_.run(); });
  std::lock_guard lock(mutex_);
  started_ = true;
}

asio::awaitable<void> HttpsServer::Impl::accept_loop() {
  asio::steady_timer backoff(acceptor_->get_executor());
  while (!stopping_) {
    auto strand = asio::make_strand(ioc_);
    auto [ec, socket] = co_await acceptor_->async_accept(strand, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_->is_open() || stopping_)
        break;
      // Out of file descriptors and the like: don't spin, try again shortly.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_connection(std::move(socket)), asio::detached);
  }
}

bool HttpsServer::Impl::register_connection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopping_)
    return false;
  connections_.insert(connection);
  return true;
}

void HttpsServer::Impl::unregister_connection(const std::shared_ptr<Connection>& connection) {
  {
    std::lock_guard lock(mutex_);
    connections_.erase(connection);
  }
  connections_changed_.notify_all();
}

template <class F>
void HttpsServer::Impl::post_to_connections(F&& f) {
  std::lock_guard lock(mutex_);
  for (const auto& connection : connections_) {
    asio::post(connection->executor, [connection, f] { f(*connection); });
  }
}

void HttpsServer::Impl::notify(const std::string& key) {
  std::lock_guard lock(mutex_);
  ++notify_seq_;
  // Bounded memory: forgetting only costs a spurious (harmless) wake-up of older requests.
  if (last_notified_.size() >= 100'000) {
    last_notified_.clear();
    forget_floor_ = notify_seq_;
  }
  last_notified_[key] = notify_seq_;
  auto range = parked_.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    auto parked = it->second;
    parked->woken = true;
    asio::post(parked->timer.get_executor(), [parked] { parked->timer.cancel(); });
  }
  auto sessions = sessions_.equal_range(key);
  for (auto it = sessions.first; it != sessions.second; ++it) {
    send_ws_text(it->second, "{\"type\":\"wake\"}");
  }
}

void HttpsServer::Impl::disconnect(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto sessions = sessions_.equal_range(key);
  for (auto it = sessions.first; it != sessions.second; ++it) {
    close_ws(it->second, websocket::close_code::policy_error);
  }
}

void HttpsServer::Impl::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_)
      return;
    stopped_ = true;
    stopping_ = true;
    if (!started_)
      return;
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  asio::post(acceptor_->get_executor(), [this] {
    error_code ignored;
    acceptor_->close(ignored);
  });
  {
    // Parked long-polls answer now, as timed out (the handler says "no work").
    std::lock_guard lock(mutex_);
    for (auto& [key, parked] : parked_) {
      asio::post(parked->timer.get_executor(), [p = parked] { p->timer.cancel(); });
    }
  }
  post_to_connections([](Connection& c) {
    if (c.shutdown)
      c.shutdown(false);
  });
  {
    std::unique_lock lock(mutex_);
    connections_changed_.wait_until(lock, deadline, [this] { return connections_.empty(); });
  }
  bool forced = false;
  {
    std::lock_guard lock(mutex_);
    forced = !connections_.empty();
  }
  if (forced) {
    post_to_connections([](Connection& c) {
      if (c.shutdown)
        c.shutdown(true);
    });
    std::unique_lock lock(mutex_);
    connections_changed_.wait_for(lock, std::chrono::seconds(1),
                                  [this] { return connections_.empty(); });
  }
  work_.reset();
  ioc_.stop();
  for (auto& thread : io_threads_)
    thread.join();
  io_threads_.clear();
  // The posted close may not have run before ioc_.stop(); the port must be free once stop()
  // returns (a restart binds it again). No io thread is left, so this is safe here.
  error_code ignored;
  acceptor_->close(ignored);
  // Runs what is still queued (presence callbacks) and waits for running handlers.
  workers_.join();
}

HttpsServer::HttpsServer(ServerOptions options, Handler handler, WebSocketHooks ws_hooks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(ws_hooks))) {}

HttpsServer::~HttpsServer() {
  impl_->stop(std::chrono::seconds(5));
}

void HttpsServer::start() {
  impl_->start();
}
std::uint16_t HttpsServer::port() const {
  return impl_->port();
}
void HttpsServer::notify(const std::string& key) {
  impl_->notify(key);
}
void HttpsServer::disconnect(const std::string& key) {
  impl_->disconnect(key);
}
void HttpsServer::stop(std::chrono::milliseconds grace) {
  impl_->stop(grace);
}

}  // namespace bookbridge::transport
