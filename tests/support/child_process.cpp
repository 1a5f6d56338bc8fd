#include "support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.h"

extern char** environ;

namespace bookbridge::testing {

bool poll_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(interval);
  }
}

ChildProcess::ChildProcess(ProcessOptions options) : options_(std::move(options)) {
  if (options_.args.empty()) {
    throw std::invalid_argument("ChildProcess: no program");
  }
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    auto eq = text.find('=');
    if (eq != std::string::npos) {
      env[text.substr(0, eq)] = text.substr(eq + 1);
    }
  }
  for (const auto& [key, value] : options_.env) {
    env[key] = value;
  }
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) {
    env_strings.push_back(key + "=" + value);
  }
  std::vector<char*> argv;
  for (auto& arg : options_.args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_strings) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  int out_fd = -1;
  if (!options_.output_file.empty()) {
    out_fd = ::open(options_.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      throw std::runtime_error("cannot open " + options_.output_file.string());
    }
  }
  pid_ = ::fork();
  if (pid_ < 0) {
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    ::setpgid(0, 0);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      ::dup2(null_fd, STDIN_FILENO);
    }
    if (out_fd >= 0) {
      ::dup2(out_fd, STDOUT_FILENO);
      ::dup2(out_fd, STDERR_FILENO);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  if (out_fd >= 0) {
    ::close(out_fd);
  }
}

ChildProcess::~ChildProcess() {
  if (running()) {
    send_signal(SIGKILL);
    wait(10s);
  }
}

bool ChildProcess::running() {
  if (exit_code_ || pid_ <= 0) {
    return false;
  }
  int status = 0;
  pid_t result = ::waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

void ChildProcess::send_signal(int signal) {
  if (running()) {
    ::kill(pid_, signal);
  }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  poll_until([this] { return !running(); }, timeout, 5ms);
  return exit_code_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  send_signal(SIGTERM);
  if (auto code = wait(grace)) {
    return *code;
  }
  send_signal(SIGKILL);
  return wait(10s).value_or(-1);
}

std::string ChildProcess::output() const {
  return read_file(options_.output_file);
}

RunResult run_program(const ProcessOptions& options, std::chrono::milliseconds timeout) {
  TempDir dir("bookbridge-run");
  ProcessOptions copy = options;
  if (copy.output_file.empty()) {
    copy.output_file = dir / "output.txt";
  }
  ChildProcess child(copy);
  auto code = child.wait(timeout);
  RunResult result;
  if (!code) {
    child.stop(1s);
    result.exit_code = -1;
  } else {
    result.exit_code = *code;
  }
  result.output = child.output();
  return result;
}

}  // namespace bookbridge::testing
