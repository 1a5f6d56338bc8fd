// Windows entry point: arguments arrive as UTF-16 and are handed to the CLI as UTF-8. `run`
// reaches the SCM through platform::run_service (platform/windows/service_host_windows.cpp),
// which falls back to a console run when the SCM did not start the process.

#include <windows.h>

#include <string>
#include <vector>

#include "cli/cli.h"

namespace {

std::string to_utf8(const wchar_t* text) {
  int bytes = ::WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (bytes <= 1) {
    return {};
  }
  std::string out(static_cast<std::size_t>(bytes - 1), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), bytes, nullptr, nullptr);
  return out;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  ::SetConsoleOutputCP(CP_UTF8);
  std::vector<std::string> args;
  args.reserve(static_cast<std::size_t>(argc));
  for (int i = 0; i < argc; ++i) {
    args.push_back(to_utf8(argv[i]));
  }
  return bookbridge::agent::cli::run(std::move(args));
}
