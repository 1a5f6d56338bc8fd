#include "platform/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace bookbridge::platform {
namespace {

std::atomic<ShutdownCallback> g_callback{nullptr};
std::atomic<int> g_interrupts{0};

extern "C" void on_signal(int signal_number) {
  if (signal_number == SIGINT && g_interrupts.fetch_add(1) >= 1) {
    constexpr char kMessage[] = "\nsecond interrupt: exiting now\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    ::_exit(130);
  }
  if (auto callback = g_callback.load()) {
    callback();
  }
}

}  // namespace

void ignore_broken_pipe() {
  struct sigaction action {};
  action.sa_handler = SIG_IGN;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGPIPE, &action, nullptr);
}

void install_shutdown_handlers(ShutdownCallback on_shutdown) {
  g_callback.store(on_shutdown);
  g_interrupts.store(0);
  struct sigaction action {};
  action.sa_handler = &on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  ignore_broken_pipe();
}

}  // namespace bookbridge::platform
