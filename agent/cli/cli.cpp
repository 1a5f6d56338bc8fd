#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/version.h"
#include "config/logging.h"
#include "readers/registry.h"

namespace bookbridge::agent::cli {

int run(std::vector<std::string> args) {
  CLI::App app{
      "bookbridge-agent: reads local accounting books and syncs them to a Bookbridge hub.\n"
      "Configuration: docs/configuration.md; check it with `bookbridge-agent check-config`."};
  app.name("bookbridge-agent");
  app.set_version_flag("--version", version_line(), "Print the version and exit");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the command too

  std::optional<std::string> config_option;
  std::optional<std::string> log_level;
  app.add_option("--config", config_option,
                 "Config file (default: $BOOKBRIDGE_AGENT_CONFIG, else /etc/bookbridge/agent.json; "
                 "%ProgramData%\\Bookbridge\\agent.json on Windows)")
      ->type_name("FILE");
  app.add_option("--log-level", log_level, "Override log.level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->type_name("LEVEL");

  auto* run_cmd = app.add_subcommand(
      "run", "Run the agent in the foreground (the service runs this; systemd Type=notify)");
  std::string link_url;
  std::string source;
  auto* link_cmd = app.add_subcommand(
      "link", "Link a source to its hub connection with the connection's one-time linkUrl");
  link_cmd->add_option("LINK_URL", link_url, "The connection's linkUrl (quote it)")->required();
  link_cmd->add_option("--source", source, "Source name from the config")->required();
  auto* unlink_cmd =
      app.add_subcommand("unlink", "Revoke a source's credential at the hub and delete it here");
  unlink_cmd->add_option("--source", source, "Source name")->required();
  auto* check_cmd = app.add_subcommand(
      "check-config", "Validate the config file; print every problem with its path and line");
  bool json = false;
  auto* status_cmd =
      app.add_subcommand("status", "Per source: reader, link, online, datasets, last results");
  status_cmd->add_flag("--json", json, "Machine-readable output");
  std::string data_type;
  bool summary = false;
  auto* read_cmd = app.add_subcommand(
      "read", "Dry run: read, map and validate one data type locally; print NDJSON records");
  read_cmd->add_option("--source", source, "Source name")->required();
  read_cmd->add_option("--data-type", data_type, "Data type key, e.g. invoices")->required();
  read_cmd->add_flag("--summary", summary, "Counts and validation results instead of records");
  auto* docs_cmd = app.add_subcommand("config-docs", "Print docs/configuration.md");
  docs_cmd->group("");  // hidden: a maintainer's tool

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  if (!reversed.empty()) {
    reversed.pop_back();  // the program name
  }
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  readers::ReaderRegistry registry;
  readers::register_builtin_readers(registry);
  Context ctx{config_option, log_level, registry, std::cout, std::cerr};
  int code = kExitUsage;
  try {
    if (*run_cmd) {
      code = run_command(ctx);
    } else if (*link_cmd) {
      code = link_command(ctx, link_url, source);
    } else if (*unlink_cmd) {
      code = unlink_command(ctx, source);
    } else if (*check_cmd) {
      code = check_config_command(ctx);
    } else if (*status_cmd) {
      code = status_command(ctx, json);
    } else if (*read_cmd) {
      code = read_command(ctx, source, data_type, summary);
    } else if (*docs_cmd) {
      code = config_docs_command(ctx);
    }
  } catch (const std::exception& error) {
    // Exceptions are for startup/config failures; anything else is a bug, still reported
    // readably rather than as an abort.
    std::cerr << "bookbridge-agent: error: " << error.what() << "\n";
    code = kExitFailure;
  }
  logging::flush();
  std::cout.flush();
  return code;
}

int main_entry(int argc, char** argv) {
  return run(std::vector<std::string>(argv, argv + argc));
}

}  // namespace bookbridge::agent::cli
