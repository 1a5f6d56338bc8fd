#include "cli/serve.h"

#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "api/hub_router.h"
#include "cli/secret_files.h"
#include "cli/version.h"
#include "core/datasets.h"
#include "core/settings.h"
#include "gateway/gateway.h"
#include "store/database.h"
#include "sync/sync_loop.h"
#include "transport/https_server.h"
#include "transport/tls_files.h"
#include "util/crypto.h"

namespace bookbridge::hub::cli {
namespace {

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("hub");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
}

// Blocks SIGTERM/SIGINT in this thread (and every thread started later), so that only
// sigwait() sees them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

}  // namespace

int run_serve(const ServeOptions& options) {
  const auto signals = block_stop_signals();
  ::umask(077);  // database, keys and logs under the data dir are the operator's only
  setup_logging(options.log_level);
  try {
    const auto listen = parse_listen(options.listen);
    if (!listen) {
      throw std::runtime_error("--listen must be HOST:PORT (or [IPv6]:PORT), got '" +
                               options.listen + "'");
    }
    if (options.tls_cert.empty() != options.tls_key.empty()) {
      throw std::runtime_error("--tls-cert and --tls-key go together");
    }
    ensure_private_dir(options.data_dir);
    std::string api_key = options.api_key;
    if (api_key.empty()) {
      api_key = ensure_secret_file(options.data_dir / "api-key",
                                   [] { return base64url_encode(random_bytes(30)); });
    }
    const auto api_key_hash = sha256_hex(api_key);
    api_key.assign(api_key.size(), '\0');
    core::HubConfig config;
    config.link_secret =
        ensure_secret_file(options.data_dir / "link-secret", [] { return hex(random_bytes(32)); });

    transport::ServerOptions server_options;
    server_options.host = listen->first;
    server_options.port = listen->second;
    server_options.max_body_bytes = options.max_body_bytes;
    server_options.worker_threads = options.worker_threads;
    if (!options.tls_cert.empty()) {
      server_options.cert_file = options.tls_cert;
      server_options.key_file = options.tls_key;
    } else {
      auto tls =
          transport::ensure_self_signed_certificate(options.data_dir / "tls", options.tls_names);
      server_options.cert_file = tls.cert_file;
      server_options.key_file = tls.key_file;
      if (tls.created) {
        spdlog::info("created a self-signed certificate in {}", tls.cert_file.string());
      }
    }

    store::Database db(options.data_dir / "hub.db");
    core::Hub hub(db, system_now_ms, config);
    {
      auto conn = db.acquire();
      core::client_id(*conn);
    }
    if (int n = core::recover_processing(hub); n > 0) {
      spdlog::info("finished storing {} dataset(s) interrupted by the last stop", n);
    }
    auto router = api::make_hub_router(hub, api_key_hash);
    transport::HttpsServer server(
        server_options, [&router](const transport::HttpRequest& r) { return router->handle(r); },
        gateway::websocket_hooks(hub));
    server.start();
    const std::string address =
        "https://" + url_host(listen->first) + ":" + std::to_string(server.port());
    std::string public_url = options.public_url;
    if (public_url.empty()) {
      const bool wildcard = listen->first == "0.0.0.0" || listen->first == "::";
      public_url = wildcard ? "https://localhost:" + std::to_string(server.port()) : address;
    }
    while (!public_url.empty() && public_url.back() == '/') {
      public_url.pop_back();
    }
    hub.set_public_url(public_url);

    sync::SyncLoop loop(hub);
    hub.set_notifier(core::Notifier{
        [&server](const std::string& id) { server.notify(id); },
        [&server](const std::string& id) { server.disconnect(id); },
        [&loop] { loop.poke(); },
    });
    loop.start();
    spdlog::info("{} started; data in {}", version_line(), options.data_dir.string());
    std::printf("listening on %s\n", address.c_str());
    std::fflush(stdout);

    int signal_number = 0;
    sigwait(&signals, &signal_number);
    spdlog::info("received {}; stopping", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    hub.set_notifier({});
    server.stop(std::chrono::seconds(10));
    loop.stop();
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
}

}  // namespace bookbridge::hub::cli
