#include "platform/host.h"

#include <unistd.h>

#include <array>

namespace bookbridge::platform {

std::string host_name() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0 || buffer[0] == '\0') {
    return "unknown-host";
  }
  return std::string(buffer.data());
}

}  // namespace bookbridge::platform
