// Config loading shared by every command, and the check-config / config-docs commands.

#include <iostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config_docs.h"
#include "config/config_loader.h"
#include "config/logging.h"
#include "readers/registry.h"

namespace bookbridge::agent::cli {
namespace {

void print_issues(std::ostream& err, const config::ConfigErrors& errors) {
  for (const auto& issue : errors.issues) {
    err << config::format_issue(errors.file, issue) << "\n";
  }
  for (const auto& warning : errors.warnings) {
    err << config::format_issue(errors.file, warning, true) << "\n";
  }
}

}  // namespace

std::optional<config::AgentConfig> load_config_or_report(const Context& ctx) {
  auto file = config::resolve_config_file(ctx.config_option);
  auto result = config::load_config(file, ctx.registry);
  if (result) {
    return std::move(*result);
  }
  print_issues(ctx.err, result.error());
  auto count = result.error().issues.size();
  ctx.err << file.string() << ": " << count << (count == 1 ? " problem" : " problems")
          << "; fix and check again with `bookbridge-agent check-config`\n";
  return std::nullopt;
}

bool setup_logging_or_report(const Context& ctx, const config::AgentConfig& config) {
  try {
    logging::setup(config.log, ctx.log_level);
    return true;
  } catch (const std::exception& error) {
    ctx.err << "bookbridge-agent: " << error.what() << "\n";
    return false;
  }
}

const config::SourceConfig* find_source_or_report(const Context& ctx,
                                                  const config::AgentConfig& config,
                                                  const std::string& name) {
  std::string names;
  for (const auto& source : config.sources) {
    if (source.name == name) {
      return &source;
    }
    names += (names.empty() ? "" : ", ") + source.name;
  }
  ctx.err << "bookbridge-agent: no source named '" << name << "' in " << config.config_file.string()
          << " (sources: " << names << ")\n";
  return nullptr;
}

int check_config_command(const Context& ctx) {
  auto file = config::resolve_config_file(ctx.config_option);
  auto result = config::load_config(file, ctx.registry);
  if (!result) {
    print_issues(ctx.err, result.error());
    auto count = result.error().issues.size();
    ctx.err << file.string() << ": " << count << (count == 1 ? " problem" : " problems")
            << " found\n";
    return kExitFailure;
  }
  const auto& config = *result;
  ctx.out << file.string() << ": valid\n";
  if (config.hub.url.empty()) {
    ctx.out << "  hub:      not set (`run` and `link` need hub.url)\n";
  } else {
    ctx.out << "  hub:      " << config.hub.url;
    if (!config.hub.ca_file.empty()) {
      ctx.out << " (trusting " << config.hub.ca_file.string() << ")";
    }
    ctx.out << "\n";
  }
  ctx.out << "  stateDir: " << config.state_dir.string() << "\n";
  ctx.out << "  log:      " << config.log.level << ", " << config::to_string(config.log.format)
          << ", " << (config.log.file.empty() ? "stderr" : config.log.file.string()) << "\n";
  ctx.out << "  sources:  " << config.sources.size() << "\n";
  for (const auto& source : config.sources) {
    ctx.out << "    " << source.name << " (" << source.reader;
    if (auto path = source.options.find("path");
        path != source.options.end() && path->is_string()) {
      ctx.out << ", " << path->get<std::string>();
    }
    ctx.out << ")\n";
  }
  for (const auto& warning : config.warnings) {
    ctx.out << config::format_issue(file, warning, true) << "\n";
  }
  return kExitOk;
}

int config_docs_command(const Context& ctx) {
  ctx.out << config::render_config_docs(ctx.registry);
  return kExitOk;
}

}  // namespace bookbridge::agent::cli
