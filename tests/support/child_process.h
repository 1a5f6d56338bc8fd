#pragma once

// Runs a real program as a child process for integration and E2E tests (POSIX).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bookbridge::testing {

using namespace std::chrono_literals;

/// Calls `condition` until it returns true or `timeout` passes (checking every few ms).
/// Never a fixed sleep: returns as soon as the condition holds.
bool poll_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = 20ms);

struct ProcessOptions {
  std::vector<std::string> args;           ///< args[0] is the program path
  std::map<std::string, std::string> env;  ///< added to (or replacing in) the parent's environment
  std::filesystem::path output_file;       ///< stdout and stderr both go here (appended)
};

class ChildProcess {
 public:
  /// Starts the program; throws std::runtime_error when it cannot be started.
  explicit ChildProcess(ProcessOptions options);
  ~ChildProcess();  ///< kills (SIGKILL) and reaps the child if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  /// Sends `signal`; no-op when already reaped.
  void send_signal(int signal);
  /// Waits for exit up to `timeout`; returns the exit code (128+signal when killed), or nullopt
  /// on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code.
  int stop(std::chrono::milliseconds grace = 10s);
  /// Everything the child printed so far.
  std::string output() const;
  const std::filesystem::path& output_file() const { return options_.output_file; }

 private:
  ProcessOptions options_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

/// Runs a program to completion and returns {exit code, combined output}.
struct RunResult {
  int exit_code = -1;
  std::string output;
};
RunResult run_program(const ProcessOptions& options, std::chrono::milliseconds timeout = 120s);

}  // namespace bookbridge::testing
