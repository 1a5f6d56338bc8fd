#pragma once

// Logging for the runtime through the agent's facade (config/logging.h): every line names its
// source ("[source:acme]"), dataset lines also their dataset ("[dataset:ID invoices] ...").
// Never pass credentials, tokens or Authorization headers to these functions.

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <utility>

#include "config/logging.h"

namespace bookbridge::agent::runtime {

class SourceLog {
 public:
  /// Logs as "[source:NAME]"; an empty name logs as the agent as a whole ("[agent]").
  explicit SourceLog(std::string_view source)
      : logger_(source.empty() ? logging::agent_logger() : logging::source_logger(source)) {}

  /// The same source with a detail in front of each message, e.g. "dataset:ID invoices".
  SourceLog with(const std::string& detail) const {
    SourceLog copy(*this);
    copy.prefix_ += "[" + detail + "] ";
    return copy;
  }

  template <class... Args>
  void log(spdlog::level::level_enum level, fmt::format_string<Args...> format,
           Args&&... args) const {
    if (logger_->should_log(level)) {
      logger_->log(level, "{}{}", prefix_, fmt::format(format, std::forward<Args>(args)...));
    }
  }
  template <class... Args>
  void debug(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::debug, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::info, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::warn, format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void error(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::err, format, std::forward<Args>(args)...);
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::string prefix_;
};

}  // namespace bookbridge::agent::runtime
