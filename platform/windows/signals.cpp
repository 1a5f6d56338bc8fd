#include "platform/signals.h"

#include <windows.h>

#include <atomic>

namespace bookbridge::platform {
namespace {

std::atomic<ShutdownCallback> g_callback{nullptr};

BOOL WINAPI on_console_event(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      if (auto callback = g_callback.load()) {
        callback();
      }
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

void install_shutdown_handlers(ShutdownCallback on_shutdown) {
  g_callback.store(on_shutdown);
  ::SetConsoleCtrlHandler(&on_console_event, TRUE);
}

void ignore_broken_pipe() {}

}  // namespace bookbridge::platform
