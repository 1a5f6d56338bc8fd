#pragma once

// Default locations per OS. POSIX: /etc/bookbridge, /var/lib/bookbridge;
// Windows: %ProgramData%\Bookbridge.

#include <filesystem>

namespace bookbridge::platform {

/// Default agent config file (used when neither --config nor BOOKBRIDGE_AGENT_CONFIG is given).
std::filesystem::path default_agent_config_file();
/// Default agent state directory (credentials, local dataset state, spool).
std::filesystem::path default_agent_state_dir();

}  // namespace bookbridge::platform
