#include "platform/paths.h"

#include <windows.h>

#include <cstdlib>

namespace bookbridge::platform {
namespace {

std::filesystem::path program_data() {
  wchar_t buffer[MAX_PATH];
  DWORD length = GetEnvironmentVariableW(L"ProgramData", buffer, MAX_PATH);
  if (length == 0 || length >= MAX_PATH) {
    return L"C:\\ProgramData";
  }
  return std::filesystem::path(buffer);
}

}  // namespace

std::filesystem::path default_agent_config_file() {
  return program_data() / L"Bookbridge" / L"agent.json";
}

std::filesystem::path default_agent_state_dir() {
  return program_data() / L"Bookbridge" / L"state";
}

}  // namespace bookbridge::platform
