#pragma once

// Runs the agent's `run` body under the OS service manager.
//   POSIX: SIGTERM/SIGINT ask the body to stop; under systemd (Type=notify, NOTIFY_SOCKET set)
//          the body's events become READY=1 / WATCHDOG=1 / STOPPING=1.
//   Windows: StartServiceCtrlDispatcherW; STOP/SHUTDOWN ask the body to stop; SERVICE_RUNNING is
//          reported only once the body says it is ready. Started from a console instead, it
//          runs in the foreground (Ctrl+C stops).
// The restart policy lives in the unit file / installer, not here.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace bookbridge::platform {

/// What the body tells the service manager. Each is cheap and a no-op without a manager.
struct ServiceEvents {
  std::function<void()> ready;     ///< the body is up and working
  std::function<void()> watchdog;  ///< still healthy (call at least every interval/2)
  std::function<void()> stopping;  ///< shutdown has begun
};

struct ServiceHostOptions {
  std::string name = "bookbridge-agent";  ///< Windows service name
  /// Runs until asked to stop; returns the process exit code.
  std::function<int(const ServiceEvents& events)> body;
  /// Asks the body to stop. Called from a signal handler on POSIX: must be async-signal-safe.
  void (*request_stop)() = nullptr;
};

/// Runs `options.body` as described above and returns its exit code.
int run_service(const ServiceHostOptions& options);

/// The interval at which the service manager expects a watchdog ping (systemd: WatchdogSec;
/// zero when no watchdog is enabled for this process).
std::chrono::microseconds service_watchdog_interval();

/// Sends one raw state string to the service manager (systemd: sd_notify). Returns false when no
/// manager is listening. Exposed for tests and for the hub; the agent uses run_service().
bool notify_service_manager(std::string_view state);

}  // namespace bookbridge::platform
