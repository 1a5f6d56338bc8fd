#pragma once

// A reader factory for loader tests: declares its own keys (`path`, `mode`) and checks that
// `path` exists, like a real reader would. The real built-in readers are tested too.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "readers/registry.h"

namespace bookbridge::agent::config::testing {

inline constexpr OptionSpec kProbeOptions[] = {
    {"sources[].path", OptionType::path, "", true, "The book."},
    {"sources[].mode", OptionType::enumeration, "fast", false, "How.", "fast|slow"},
};

inline readers::ReaderFactory probe_factory() {
  readers::ReaderFactory factory;
  factory.name = "probe";
  factory.description = "Test reader.";
  factory.options = kProbeOptions;
  factory.validate = [](const nlohmann::json& source, const std::string& path,
                        std::vector<readers::ConfigProblem>& problems) {
    auto file = std::filesystem::path(source.at("path").get<std::string>());
    if (!std::filesystem::exists(file)) {
      problems.push_back({path + ".path", "file does not exist: " + file.string()});
    }
  };
  factory.create = [](const nlohmann::json&) -> readers::ReadResult<readers::ReaderPtr> {
    return readers::ReadError{readers::ReadErrc::internal, "not for tests", {}};
  };
  return factory;
}

inline readers::ReaderRegistry probe_registry() {
  readers::ReaderRegistry registry;
  registry.add(probe_factory());
  return registry;
}

}  // namespace bookbridge::agent::config::testing
