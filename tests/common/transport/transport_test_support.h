#pragma once

// Helpers for the transport tests: a real HTTPS server on 127.0.0.1 with a self-signed
// certificate in a temp dir, client options that trust it, and a raw TLS socket for sending
// bytes no well-behaved client would send.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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
  struct Options {
    std::chrono::seconds receive_timeout{5};
    int max_tls_version = 0;  ///< e.g. TLS1_1_VERSION to try an old protocol; 0 = library default
  };
  explicit RawTlsConnection(std::uint16_t port) : RawTlsConnection(port, Options{}) {}
  RawTlsConnection(std::uint16_t port, Options options);
  ~RawTlsConnection();
  bool connected() const { return ssl_ != nullptr; }
  bool write(const std::string& bytes);
  /// Reads until the peer closes, `limit` bytes arrived or the receive timeout passed.
  std::string read_all(std::size_t limit = 64 * 1024);
  /// Reads until `marker` has arrived (or close/timeout); returns everything read.
  std::string read_until(std::string_view marker);

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

/// A deliberately misbehaving HTTPS server made with plain OpenSSL, for client tests. Connection
/// number i follows script i (the last script repeats): for each request head it reads, it writes
/// the next reply; an empty reply closes at once without answering, kHold keeps the connection
/// open and silent until the server is destroyed. After the script the connection is closed.
class RawTlsServer {
 public:
  static constexpr const char* kHold = "<hold>";
  RawTlsServer(const SelfSignedResult& cert, std::vector<std::vector<std::string>> scripts);
  ~RawTlsServer();
  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void serve();
  void serve_connection(int fd, const std::vector<std::string>& script);

  std::vector<std::vector<std::string>> scripts_;
  void* ctx_ = nullptr;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::thread thread_;
};

}  // namespace bookbridge::transport::testing
