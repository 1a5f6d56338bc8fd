#pragma once

#include <string>

namespace bookbridge::platform {

/// This machine's host name (sent to the hub when linking, shown in its connection info);
/// "unknown-host" when the OS will not say.
std::string host_name();

}  // namespace bookbridge::platform
