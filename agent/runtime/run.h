#pragma once

// Entry points of the agent's runtime, called by the CLI (agent/cli). The CLI owns argument
// parsing, config loading and logging setup; these functions own the work.

#include <atomic>
#include <functional>
#include <iosfwd>
#include <string>

#include "config/agent_config.h"

namespace bookbridge::agent {

struct RunHooks {
  /// Called once the agent is up (systemd READY=1 / Windows SERVICE_RUNNING).
  std::function<void()> on_ready;
  /// Called periodically while healthy (systemd WATCHDOG=1).
  std::function<void()> on_watchdog;
  /// Called when shutdown begins (systemd STOPPING=1).
  std::function<void()> on_stopping;
};

/// `bookbridge-agent run`: runs until request_shutdown() is called (signals, service stop).
/// Returns the process exit code (0 after a clean shutdown).
int run_agent(const config::AgentConfig& config, const RunHooks& hooks);

/// Asks a running run_agent() to stop (async-signal-safe: only sets a flag and wakes a pipe).
void request_shutdown();

struct DryRunOptions {
  std::string source;     ///< source name from the config
  std::string data_type;  ///< Codat key, e.g. "invoices"
  bool summary = false;   ///< counts and validation summary instead of NDJSON records
};

/// `bookbridge-agent read`: fetch, map and validate locally; print NDJSON records (or a summary)
/// to `out` and problems to `err`. Needs neither hub nor link. Returns the exit code
/// (0 ok, 1 the read failed or validation found errors, 2 usage/config problems).
int dry_run(const config::AgentConfig& config, const DryRunOptions& options, std::ostream& out,
            std::ostream& err);

/// `bookbridge-agent status`: per source: reader, linked, online (as last seen by a running
/// agent), datasets in flight, last results. Reads the local state only.
int print_status(const config::AgentConfig& config, bool json, std::ostream& out);

}  // namespace bookbridge::agent
