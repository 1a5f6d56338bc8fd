#include "cli/version.h"

#include "bookbridge/version_info.h"

namespace bookbridge::agent {

std::string version_line() {
  return std::string("bookbridge-agent ") + kVersion + " (commit " + kGitCommit + ")";
}

}  // namespace bookbridge::agent
