#pragma once

// The bookbridge-agent command line, platform-neutral: main() on POSIX and wmain() on Windows
// only hand over their arguments (as UTF-8).

#include <string>
#include <vector>

namespace bookbridge::agent::cli {

/// Exit codes of every command (docs/configuration.md lists them).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;  ///< bad arguments, or an invalid/missing config file

/// Parses `args` (args[0] is the program) and runs the command. Returns the exit code.
int run(std::vector<std::string> args);

/// For POSIX main().
int main_entry(int argc, char** argv);

}  // namespace bookbridge::agent::cli
