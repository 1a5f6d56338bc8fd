#include "config/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace bookbridge::agent::logging {
namespace {

constexpr std::size_t kMaxFileBytes = 10 * 1024 * 1024;
constexpr std::size_t kMaxFiles = 5;

void append_json_escaped(std::string_view text, spdlog::memory_buf_t& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char raw : text) {
    auto c = static_cast<unsigned char>(raw);
    switch (c) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (c < 0x20) {
          const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
          out.append(escaped, escaped + sizeof escaped);
        } else {
          out.push_back(raw);
        }
    }
  }
}

// %& in the JSON pattern: the message, escaped for a JSON string.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %* in the JSON pattern: who wrote the line, `"source":"NAME"` or `"component":"agent"`.
class JsonOwnerFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view name(msg.logger_name.data(), msg.logger_name.size());
    constexpr std::string_view kSource = "source:";
    if (name.substr(0, kSource.size()) == kSource) {
      dest.append(std::string_view("\"source\":\""));
      append_json_escaped(name.substr(kSource.size()), dest);
    } else {
      dest.append(std::string_view("\"component\":\""));
      append_json_escaped(name, dest);
    }
    dest.push_back('"');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonOwnerFlag>();
  }
};

std::unique_ptr<spdlog::formatter> make_formatter(config::LogFormat format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == config::LogFormat::json) {
    formatter->add_flag<JsonMessageFlag>('&').add_flag<JsonOwnerFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%*,"message":"%&"})");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-7l [%n] %v");
  }
  return formatter;
}

struct State {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;
  spdlog::level::level_enum level = spdlog::level::info;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
};

State& state() {
  static State instance;
  return instance;
}

// Callers hold the mutex.
void ensure_default_sinks(State& s) {
  if (s.sinks.empty()) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_formatter(make_formatter(config::LogFormat::text));
    s.sinks.push_back(sink);
  }
}

std::shared_ptr<spdlog::logger> get_logger(std::string name) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (auto it = s.loggers.find(name); it != s.loggers.end()) {
    return it->second;
  }
  ensure_default_sinks(s);
  auto logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
  logger->set_level(s.level);
  logger->flush_on(spdlog::level::info);
  s.loggers.emplace(std::move(name), logger);
  return logger;
}

spdlog::level::level_enum parse_level(std::string_view level) {
  if (level == "trace")
    return spdlog::level::trace;
  if (level == "debug")
    return spdlog::level::debug;
  if (level == "warn")
    return spdlog::level::warn;
  if (level == "error")
    return spdlog::level::err;
  return spdlog::level::info;
}

}  // namespace

bool is_valid_level(std::string_view level) {
  return level == "trace" || level == "debug" || level == "info" || level == "warn" ||
         level == "error";
}

void setup(const config::LogConfig& config, const std::optional<std::string>& level_override) {
  spdlog::sink_ptr sink;
  if (!config.file.empty()) {
    try {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(config.file.string(),
                                                                    kMaxFileBytes, kMaxFiles);
    } catch (const spdlog::spdlog_ex& error) {
      throw std::runtime_error("cannot open log file " + config.file.string() + ": " +
                               error.what());
    }
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  sink->set_formatter(make_formatter(config.format));

  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.sinks = {sink};
  s.level = parse_level(level_override.value_or(config.level));
  for (auto& [name, logger] : s.loggers) {
    logger->sinks() = s.sinks;
    logger->set_level(s.level);
  }
  // Code that logs through spdlog's default logger (spdlog::info(...)) gets the same sinks.
  auto fallback = std::make_shared<spdlog::logger>("agent", s.sinks.begin(), s.sinks.end());
  fallback->set_level(s.level);
  fallback->flush_on(spdlog::level::info);
  spdlog::set_default_logger(fallback);
}

std::shared_ptr<spdlog::logger> agent_logger() {
  return get_logger("agent");
}

std::shared_ptr<spdlog::logger> source_logger(std::string_view source) {
  return get_logger("source:" + std::string(source));
}

void flush() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  for (auto& [name, logger] : s.loggers) {
    logger->flush();
  }
}

}  // namespace bookbridge::agent::logging
