#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "cli/serve.h"
#include "cli/version.h"

namespace bookbridge::hub::cli {

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc() || ptr != port.data() + port.size() ||
      value > 65535) {
    return std::nullopt;
  }
  return std::make_pair(host, static_cast<std::uint16_t>(value));
}

int main_entry(int argc, char** argv) {
  CLI::App app{
      "bookbridge-hub: the Bookbridge reference platform (Codat-compatible API and agent "
      "gateway)"};
  app.set_version_flag("--version", version_line());
  app.require_subcommand(1);
  ServeOptions options;
  // The options live on the app with `serve` falling through to them, so that a config file
  // can hold them as plain top-level keys (CLI11 reads config files at the app level).
  app.add_subcommand("serve", "Run the hub (HTTPS only)")
      ->fallthrough()
      ->footer("The options of serve are listed by: bookbridge-hub --help");
  auto* serve = &app;
  serve->set_config("--config", "", "Read options from a TOML/INI file (keys as the long flags)");
  serve
      ->add_option("--data-dir", options.data_dir, "Directory for the database, keys and TLS files")
      ->envname("BOOKBRIDGE_HUB_DATA_DIR")
      ->required();
  serve
      ->add_option("--listen", options.listen,
                   "HOST:PORT to listen on ([::1]:PORT for IPv6; port 0 picks a free one)")
      ->envname("BOOKBRIDGE_HUB_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--tls-cert", options.tls_cert,
                   "PEM certificate (default: self-signed in DATA/tls)")
      ->envname("BOOKBRIDGE_HUB_TLS_CERT");
  serve->add_option("--tls-key", options.tls_key, "PEM private key for --tls-cert")
      ->envname("BOOKBRIDGE_HUB_TLS_KEY");
  serve
      ->add_option("--tls-name", options.tls_names,
                   "Extra DNS name or IP for the self-signed certificate (repeatable)")
      ->envname("BOOKBRIDGE_HUB_TLS_NAMES")
      ->delimiter(',');
  serve
      ->add_option("--api-key", options.api_key,
                   "Client API key (default: DATA/api-key, created on first start)")
      ->envname("BOOKBRIDGE_HUB_API_KEY");
  serve
      ->add_option("--max-body-bytes", options.max_body_bytes,
                   "Largest request body accepted (413 above)")
      ->envname("BOOKBRIDGE_HUB_MAX_BODY_BYTES")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->capture_default_str();
  serve
      ->add_option("--public-url", options.public_url,
                   "Base URL agents use to reach the hub, for linkUrl (default https://HOST:PORT)")
      ->envname("BOOKBRIDGE_HUB_PUBLIC_URL");
  serve->add_option("--log-level", options.log_level, "trace, debug, info, warn, error")
      ->envname("BOOKBRIDGE_HUB_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  serve->add_option("--worker-threads", options.worker_threads, "Request worker threads")
      ->envname("BOOKBRIDGE_HUB_WORKER_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help/--version: 0; usage errors: 2
  }
  return run_serve(options);
}

}  // namespace bookbridge::hub::cli
