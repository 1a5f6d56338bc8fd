#include "runtime/agent_setup.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

namespace bookbridge::agent::runtime {

void fill_registry(readers::ReaderRegistry& registry) {
  readers::register_builtin_readers(registry);
}

std::size_t page_records_from_env() {
  if (const char* text = std::getenv("BOOKBRIDGE_AGENT_PAGE_RECORDS")) {
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && value >= 1 && value <= 1000) {
      return static_cast<std::size_t>(value);
    }
  }
  return 1000;
}

nlohmann::json reader_entry(const config::SourceConfig& source) {
  nlohmann::json entry = source.options.is_object() ? source.options : nlohmann::json::object();
  entry["name"] = source.name;
  entry["reader"] = source.reader;
  if (!source.data_types.empty()) {
    auto& types = entry["dataTypes"] = nlohmann::json::array();
    for (auto type : source.data_types) {
      types.push_back(model::to_key(type));
    }
  }
  return entry;
}

const config::SourceConfig* find_source(const config::AgentConfig& config,
                                        const std::string& name) {
  for (const auto& source : config.sources) {
    if (source.name == name) {
      return &source;
    }
  }
  return nullptr;
}

}  // namespace bookbridge::agent::runtime
