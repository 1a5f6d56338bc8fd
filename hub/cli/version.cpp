#include "cli/version.h"

#include "bookbridge/version_info.h"

namespace bookbridge::hub {

std::string version_line() {
  return std::string("bookbridge-hub ") + kVersion + " (commit " + kGitCommit + ")";
}

}  // namespace bookbridge::hub
