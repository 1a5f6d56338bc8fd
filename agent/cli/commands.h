#pragma once

// The commands of bookbridge-agent (cli.cpp parses arguments and calls one of these).

#include <iosfwd>
#include <optional>
#include <string>

#include "config/agent_config.h"

namespace bookbridge::readers {
class ReaderRegistry;
}

namespace bookbridge::agent::cli {

struct Context {
  std::optional<std::string> config_option;  ///< --config
  std::optional<std::string> log_level;      ///< --log-level
  const readers::ReaderRegistry& registry;
  std::ostream& out;
  std::ostream& err;
};

/// Loads the config; on problems prints them all to ctx.err and returns nullopt.
std::optional<config::AgentConfig> load_config_or_report(const Context& ctx);

/// Sets up logging from the config (and --log-level); false (after printing why) on failure.
bool setup_logging_or_report(const Context& ctx, const config::AgentConfig& config);

/// The source of that name, or nullptr after printing which sources exist.
const config::SourceConfig* find_source_or_report(const Context& ctx,
                                                  const config::AgentConfig& config,
                                                  const std::string& name);

int check_config_command(const Context& ctx);
int config_docs_command(const Context& ctx);
int link_command(const Context& ctx, const std::string& link_url, const std::string& source);
int unlink_command(const Context& ctx, const std::string& source);
int run_command(const Context& ctx);
int status_command(const Context& ctx, bool json);
int read_command(const Context& ctx, const std::string& source, const std::string& data_type,
                 bool summary);

}  // namespace bookbridge::agent::cli
