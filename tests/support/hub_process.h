#pragma once

// Starts the real bookbridge-hub on 127.0.0.1:0 with a temp data dir, for integration and E2E
// tests. The hub prints "listening on https://HOST:PORT" when ready; this helper waits for that
// line with a deadline, then exposes the URL, the API key it generated and its self-signed cert.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace bookbridge::testing {

class HubProcess {
 public:
  struct Options {
    std::vector<std::string> extra_args;  ///< appended to "serve --data-dir D --listen L"
    std::chrono::milliseconds ready_timeout{30'000};
  };

  HubProcess();  ///< starts with default options
  explicit HubProcess(Options options);
  ~HubProcess();

  const std::string& url() const { return url_; }  ///< "https://127.0.0.1:PORT"
  std::uint16_t port() const { return port_; }
  const std::string& api_key() const { return api_key_; }  ///< from DATA_DIR/api-key
  std::filesystem::path ca_file() const;                   ///< DATA_DIR/tls/cert.pem
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string output() const;
  ChildProcess& process() { return *process_; }

  /// SIGTERM and wait; returns the exit code.
  int stop();
  /// SIGKILL (a crash).
  void kill9();
  /// Starts again on the same port and data dir (after stop() or kill9()).
  void restart();

 private:
  void launch(const std::string& listen);

  Options options_;
  TempDir dir_;
  std::filesystem::path data_dir_;
  std::unique_ptr<ChildProcess> process_;
  std::string url_;
  std::uint16_t port_ = 0;
  std::string api_key_;
  int launches_ = 0;
};

}  // namespace bookbridge::testing
