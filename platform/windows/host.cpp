#include "platform/host.h"

#include <windows.h>

namespace bookbridge::platform {

std::string host_name() {
  wchar_t buffer[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
  if (!::GetComputerNameExW(ComputerNameDnsHostname, buffer, &size) || size == 0) {
    return "unknown-host";
  }
  int bytes = ::WideCharToMultiByte(CP_UTF8, 0, buffer, static_cast<int>(size), nullptr, 0, nullptr,
                                    nullptr);
  std::string name(static_cast<std::size_t>(bytes), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, buffer, static_cast<int>(size), name.data(), bytes, nullptr,
                        nullptr);
  return name;
}

}  // namespace bookbridge::platform
