#pragma once

// The agent's typed configuration. Loaded and validated by config/config_loader.h (strict:
// unknown keys are errors; every problem is reported at once with its JSON path and line).

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/data_type.h"

namespace bookbridge::agent::config {

enum class TransportMode { automatic, websocket, poll };  ///< "auto" | "websocket" | "poll"
enum class LogFormat { text, json };

struct HubConfig {
  std::string url;                ///< https://host:port of the hub (required to run/link)
  std::filesystem::path ca_file;  ///< optional PEM trust anchor (private CA / self-signed hub)
};

struct LogConfig {
  std::string level = "info";  ///< trace|debug|info|warn|error
  LogFormat format = LogFormat::text;
  std::filesystem::path file;  ///< empty: stderr (journald under systemd)
};

struct SourceConfig {
  std::string name;    ///< unique; names the source in logs, status and `link`
  std::string reader;  ///< registry name, e.g. "gnucash"
  nlohmann::json options = nlohmann::json::object();  ///< the reader's own keys (e.g. "path")
  std::vector<model::DataType> data_types;  ///< allow-list; empty = everything the reader supports
};

/// One finding of the loader, e.g. {"sources[1].path", 12, "file does not exist: ..."}.
struct ConfigIssue {
  std::string path;  ///< JSON path, e.g. "sources[1].path"; "" for the file as a whole
  int line = 0;      ///< 1-based; 0 when unknown
  std::string message;
};

struct AgentConfig {
  HubConfig hub;
  std::filesystem::path state_dir;  ///< default: platform::default_agent_state_dir()
  TransportMode transport = TransportMode::automatic;
  int poll_interval_seconds = 25;   ///< long-poll wait (and idle re-check period)
  int max_concurrent_datasets = 2;  ///< across all sources
  int lease_seconds = 60;
  LogConfig log;
  std::vector<SourceConfig> sources;
  std::filesystem::path config_file;  ///< where it was loaded from (for messages)
  /// Findings that do not stop the agent (e.g. a book file that does not exist yet: it may be
  /// on a share mounted later). check-config prints them; `run` logs them.
  std::vector<ConfigIssue> warnings{};
};

}  // namespace bookbridge::agent::config
