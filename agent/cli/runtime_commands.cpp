// `run`, `status` and `read`: the CLI loads the config and sets up logging; the runtime
// (agent/runtime/run.h) does the work.

#include <iostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config_loader.h"
#include "config/logging.h"
#include "platform/service_host.h"
#include "runtime/run.h"

namespace bookbridge::agent::cli {

int run_command(const Context& ctx) {
  auto config = load_config_or_report(ctx);
  if (!config) {
    return kExitUsage;
  }
  if (config->hub.url.empty()) {
    ctx.err << "bookbridge-agent: hub.url is not set in " << config->config_file.string()
            << ": the agent needs to know its hub (see docs/configuration.md)\n";
    return kExitUsage;
  }
  if (!setup_logging_or_report(ctx, *config)) {
    return kExitUsage;
  }
  for (const auto& warning : config->warnings) {
    logging::agent_logger()->warn("{}", config::format_issue(config->config_file, warning, true));
  }
  platform::ServiceHostOptions host;
  host.request_stop = &request_shutdown;
  host.body = [&](const platform::ServiceEvents& events) {
    RunHooks hooks{events.ready, events.watchdog, events.stopping};
    return run_agent(*config, hooks);
  };
  return platform::run_service(host);
}

int status_command(const Context& ctx, bool json) {
  auto config = load_config_or_report(ctx);
  if (!config) {
    return kExitUsage;
  }
  return print_status(*config, json, ctx.out);
}

int read_command(const Context& ctx, const std::string& source, const std::string& data_type,
                 bool summary) {
  auto config = load_config_or_report(ctx);
  if (!config) {
    return kExitUsage;
  }
  if (find_source_or_report(ctx, *config, source) == nullptr) {
    return kExitUsage;
  }
  // Records go to stdout; logs stay on stderr unless the config names a file.
  if (!setup_logging_or_report(ctx, *config)) {
    return kExitUsage;
  }
  return dry_run(*config, DryRunOptions{source, data_type, summary}, ctx.out, ctx.err);
}

}  // namespace bookbridge::agent::cli
