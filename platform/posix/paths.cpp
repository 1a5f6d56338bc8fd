#include "platform/paths.h"

namespace bookbridge::platform {

std::filesystem::path default_agent_config_file() {
  return "/etc/bookbridge/agent.json";
}

std::filesystem::path default_agent_state_dir() {
  return "/var/lib/bookbridge-agent";
}

}  // namespace bookbridge::platform
