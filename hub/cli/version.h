#pragma once

#include <string>

namespace bookbridge::hub {

/// "bookbridge-hub 0.1.0 (commit abc123)"
std::string version_line();

}  // namespace bookbridge::hub
