#pragma once

// docs/configuration.md, generated from the option tables (the agent's and every registered
// reader's). `bookbridge-agent config-docs` prints it; the CMake target `config-docs` rewrites
// the file; a unit test fails when the committed file is out of date.

#include <string>

namespace bookbridge::readers {
class ReaderRegistry;
}

namespace bookbridge::agent::config {

std::string render_config_docs(const readers::ReaderRegistry& registry);

}  // namespace bookbridge::agent::config
