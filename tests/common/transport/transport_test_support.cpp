#include "transport_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

RawTlsConnection::RawTlsConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{2, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ctx_ = ctx;
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
