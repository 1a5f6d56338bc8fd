#pragma once

#include <string>

namespace bookbridge::agent {

/// "bookbridge-agent 0.1.0 (commit abc123)"
std::string version_line();

}  // namespace bookbridge::agent
