#pragma once

// Command line of bookbridge-hub (CLI11): flags, env vars and a config file for every option.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bookbridge::hub::cli {

struct ServeOptions {
  std::filesystem::path data_dir;
  std::string listen = "127.0.0.1:8443";
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  std::vector<std::string> tls_names;
  std::string api_key;  ///< empty: DATA/api-key (created on first start)
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::string public_url;  ///< empty: https://<listen host>:<bound port>
  std::string log_level = "info";
  int worker_threads = 8;
};

/// "HOST:PORT" or "[V6]:PORT" -> (host without brackets, port). nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text);

/// Parses argv; runs `serve` or prints version/help. Returns the process exit code.
int main_entry(int argc, char** argv);

}  // namespace bookbridge::hub::cli
