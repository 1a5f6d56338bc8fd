#pragma once

// Helpers for the transport tests: a real HTTPS server on 127.0.0.1 with a self-signed
// certificate in a temp dir, client options that trust it, and a raw TLS socket for sending
// bytes no well-behaved client would send.

#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "transport/https_client.h"
#include "transport/https_server.h"
#include "transport/tls_files.h"

namespace bookbridge::transport::testing {

/// A temp dir with cert.pem/key.pem for localhost, 127.0.0.1 and ::1.
struct TestPki {
  TestPki() : cert(ensure_self_signed_certificate(dir.path() / "tls", {})) {}
  bookbridge::testing::TempDir dir{"bookbridge-transport"};
  SelfSignedResult cert;
};

struct TestServer {
  TestServer(HttpsServer::Handler handler, ServerOptions options = {}, WebSocketHooks hooks = {});
  ~TestServer();

  std::string url() const;  ///< https://127.0.0.1:PORT (or the host given in options)
  ClientOptions client_options() const;

  TestPki pki;
  std::unique_ptr<HttpsServer> server;
  std::string host;
};

/// A TLS connection made with plain OpenSSL (trusting nothing: it only sends raw bytes).
class RawTlsConnection {
 public:
  explicit RawTlsConnection(std::uint16_t port);
  ~RawTlsConnection();
  bool connected() const { return ssl_ != nullptr; }
  bool write(const std::string& bytes);
  /// Reads until the peer closes or `limit` bytes arrived (2 s receive timeout).
  std::string read_all(std::size_t limit = 64 * 1024);

 private:
  int fd_ = -1;
  void* ctx_ = nullptr;
  void* ssl_ = nullptr;
};

/// A TCP listener on 127.0.0.1 that accepts (via the kernel backlog) and never answers.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace bookbridge::transport::testing
