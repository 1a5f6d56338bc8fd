#include "transport_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace bookbridge::transport::testing {

TestServer::TestServer(HttpsServer::Handler handler, ServerOptions options, WebSocketHooks hooks) {
  options.cert_file = pki.cert.cert_file;
  options.key_file = pki.cert.key_file;
  host = options.host;
  server = std::make_unique<HttpsServer>(options, std::move(handler), std::move(hooks));
  server->start();
}

TestServer::~TestServer() {
  server.reset();
}

std::string TestServer::url() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "https://" + h + ":" + std::to_string(server->port());
}

ClientOptions TestServer::client_options() const {
  ClientOptions options;
  options.base_url = url();
  options.ca_file = pki.cert.cert_file;
  options.connect_timeout = std::chrono::seconds(5);
  options.request_timeout = std::chrono::seconds(10);
  return options;
}

RawTlsConnection::RawTlsConnection(std::uint16_t port, Options options) {
  // Plain OpenSSL writes with write(2); a peer that hung up must not kill the test binary.
  ::signal(SIGPIPE, SIG_IGN);
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{static_cast<time_t>(options.receive_timeout.count()), 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ctx_ = ctx;
  if (options.max_tls_version != 0) {
    // Let this client really offer old protocols, so a refusal is the server's doing.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, options.max_tls_version);
  }
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd_);
  if (SSL_connect(ssl) != 1) {
    SSL_free(ssl);
    return;
  }
  ssl_ = ssl;
}

RawTlsConnection::~RawTlsConnection() {
  if (ssl_)
    SSL_free(static_cast<SSL*>(ssl_));
  if (ctx_)
    SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
  if (fd_ >= 0)
    ::close(fd_);
}

bool RawTlsConnection::write(const std::string& bytes) {
  if (!ssl_)
    return false;
  return SSL_write(static_cast<SSL*>(ssl_), bytes.data(), static_cast<int>(bytes.size())) ==
         static_cast<int>(bytes.size());
}

std::string RawTlsConnection::read_all(std::size_t limit) {
  std::string out;
  char buffer[4096];
  while (ssl_ && out.size() < limit) {
    int n = SSL_read(static_cast<SSL*>(ssl_), buffer, sizeof buffer);
    if (n <= 0)
      break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string RawTlsConnection::read_until(std::string_view marker) {
  std::string out;
  char c = 0;
  while (ssl_ && out.find(marker) == std::string::npos) {
    if (SSL_read(static_cast<SSL*>(ssl_), &c, 1) != 1)
      break;
    out.push_back(c);
  }
  return out;
}

SilentListener::SilentListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) {
    throw std::runtime_error("SilentListener: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

SilentListener::~SilentListener() {
  ::close(fd_);
}

}  // namespace bookbridge::transport::testing

namespace bookbridge::transport::testing {

RawTlsServer::RawTlsServer(const SelfSignedResult& cert,
                           std::vector<std::vector<std::string>> scripts)
    : scripts_(std::move(scripts)) {
  ::signal(SIGPIPE, SIG_IGN);
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ctx_ = ctx;
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, cert.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("RawTlsServer: cannot load the certificate");
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("RawTlsServer: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

RawTlsServer::~RawTlsServer() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_)
      ::shutdown(fd, SHUT_RDWR);
  }
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

void RawTlsServer::serve() {
  while (!stopping_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0)
      break;
    int index = connections_++;
    const auto& script = scripts_[std::min<std::size_t>(index, scripts_.size() - 1)];
    {
      std::lock_guard lock(mutex_);
      open_fds_.push_back(fd);
    }
    // One connection at a time is all the client tests need.
    serve_connection(fd, script);
    {
      std::lock_guard lock(mutex_);
      std::erase(open_fds_, fd);
    }
    ::close(fd);
  }
}

void RawTlsServer::serve_connection(int fd, const std::vector<std::string>& script) {
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    for (const auto& reply : script) {
      std::string head;
      char c = 0;
      while (head.find("\r\n\r\n") == std::string::npos && SSL_read(ssl, &c, 1) == 1) {
        head.push_back(c);
      }
      if (head.find("\r\n\r\n") == std::string::npos || reply.empty())
        break;
      if (reply == kHold) {
        while (!stopping_ && SSL_read(ssl, &c, 1) == 1) {
        }
        break;
      }
      SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
    }
  }
  SSL_free(ssl);
}

}  // namespace bookbridge::transport::testing
