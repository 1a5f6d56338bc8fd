#pragma once

// One logging facade for the agent. Every line says who wrote it: `[agent]` for the process as
// a whole, `[source:NAME]` for work on one source. Format `text` (readable lines) or `json` (one
// object per line); to stderr (the journal under systemd) or a size-rotated file.
// Never log secrets: credentials and link tokens stay out of every message.

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/agent_config.h"

namespace bookbridge::agent::logging {

/// Sets up sinks and level for all loggers (existing and future). `level_override` (from
/// `--log-level`) wins over config.level. Throws std::runtime_error when the log file cannot be
/// opened (startup only).
void setup(const config::LogConfig& config, const std::optional<std::string>& level_override = {});

/// The logger for the agent as a whole: lines carry `[agent]`.
std::shared_ptr<spdlog::logger> agent_logger();

/// The logger for one source: lines carry `[source:NAME]` (JSON: "source":"NAME").
std::shared_ptr<spdlog::logger> source_logger(std::string_view source);

/// True when `level` is one of trace|debug|info|warn|error.
bool is_valid_level(std::string_view level);

/// Flushes every logger (at exit).
void flush();

}  // namespace bookbridge::agent::logging
