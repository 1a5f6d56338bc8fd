// Windows service host. One binary: `bookbridge-agent.exe run` connects to the SCM when the SCM
// started it and otherwise runs in the console. STOP/SHUTDOWN only report STOP_PENDING and call
// request_stop(); the body does the work of stopping. RUNNING is reported only when the body
// says it is ready. Recovery actions (restart on failure) are set by the installer script.

#include <windows.h>

#include <mutex>
#include <string>
#include <vector>

#include "platform/service_host.h"
#include "platform/signals.h"

namespace bookbridge::platform {
namespace {

constexpr DWORD kStartWaitHintMs = 30'000;
constexpr DWORD kStopWaitHintMs = 15'000;  // matches TimeoutStopSec of the systemd unit

struct ServiceState {
  const ServiceHostOptions* options = nullptr;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status{};
  std::mutex mutex;
  int exit_code = 0;
};

ServiceState g_state;

std::wstring widen(const std::string& text) {
  if (text.empty()) {
    return {};
  }
  int size =
      ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(size), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), wide.data(), size);
  return wide;
}

void report(DWORD state, DWORD wait_hint = 0, DWORD exit_code = NO_ERROR,
            DWORD service_exit_code = 0) {
  std::lock_guard lock(g_state.mutex);
  auto& status = g_state.status;
  status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  status.dwCurrentState = state;
  // No controls while starting: a STOP before the body is up would race its initialisation.
  status.dwControlsAccepted =
      state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  status.dwWin32ExitCode = exit_code;
  status.dwServiceSpecificExitCode = service_exit_code;
  status.dwWaitHint = wait_hint;
  status.dwCheckPoint =
      (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : status.dwCheckPoint + 1;
  if (g_state.handle != nullptr) {
    ::SetServiceStatus(g_state.handle, &status);
  }
}

DWORD WINAPI control_handler(DWORD control, DWORD, LPVOID, LPVOID) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      report(SERVICE_STOP_PENDING, kStopWaitHintMs);
      if (g_state.options->request_stop != nullptr) {
        g_state.options->request_stop();
      }
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

// Services start in %SystemRoot%\System32; work from the binary's directory instead so
// relative paths in messages mean something.
void change_to_binary_dir() {
  std::vector<wchar_t> buffer(MAX_PATH);
  DWORD length = 0;
  while ((length = ::GetModuleFileNameW(nullptr, buffer.data(),
                                        static_cast<DWORD>(buffer.size()))) == buffer.size()) {
    buffer.resize(buffer.size() * 2);
  }
  std::wstring path(buffer.data(), length);
  if (auto slash = path.find_last_of(L"\\/"); slash != std::wstring::npos) {
    ::SetCurrentDirectoryW(path.substr(0, slash).c_str());
  }
}

void WINAPI service_main(DWORD, LPWSTR*) {
  std::wstring name = widen(g_state.options->name);
  g_state.handle = ::RegisterServiceCtrlHandlerExW(name.c_str(), &control_handler, nullptr);
  if (g_state.handle == nullptr) {
    return;
  }
  report(SERVICE_START_PENDING, kStartWaitHintMs);
  change_to_binary_dir();

  ServiceEvents events;
  events.ready = [] { report(SERVICE_RUNNING); };
  events.watchdog = [] {};  // the SCM has no watchdog; recovery actions cover crashes
  events.stopping = [] { report(SERVICE_STOP_PENDING, kStopWaitHintMs); };
  int code = 0;
  try {
    code = g_state.options->body(events);
  } catch (...) {
    code = 1;
  }
  g_state.exit_code = code;
  if (code == 0) {
    report(SERVICE_STOPPED);
  } else {
    // A non-zero exit makes the SCM apply the recovery actions set by the installer.
    report(SERVICE_STOPPED, 0, ERROR_SERVICE_SPECIFIC_ERROR, static_cast<DWORD>(code));
  }
}

}  // namespace

bool notify_service_manager(std::string_view) {
  return false;
}

std::chrono::microseconds service_watchdog_interval() {
  return std::chrono::microseconds{0};
}

int run_service(const ServiceHostOptions& options) {
  g_state.options = &options;
  std::wstring name = widen(options.name);
  SERVICE_TABLE_ENTRYW table[] = {{name.data(), &service_main}, {nullptr, nullptr}};
  if (::StartServiceCtrlDispatcherW(table)) {
    return g_state.exit_code;  // the SCM ran service_main and it has finished
  }
  if (::GetLastError() != ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
    return 1;
  }
  // Started from a console (or a scheduled task): run in the foreground, Ctrl+C stops.
  install_shutdown_handlers(options.request_stop);
  return options.body(ServiceEvents{[] {}, [] {}, [] {}});
}

}  // namespace bookbridge::platform
