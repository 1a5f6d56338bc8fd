#include <systemd/sd-daemon.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "platform/service_host.h"
#include "platform/signals.h"

namespace bookbridge::platform {
namespace {

using Clock = std::chrono::steady_clock;

bool under_systemd() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

}  // namespace

bool notify_service_manager(std::string_view state) {
  if (!under_systemd()) {
    return false;
  }
  // unset_environment=0: the body may notify more than once.
  return sd_notify(0, std::string(state).c_str()) > 0;
}

std::chrono::microseconds service_watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) {
    return std::chrono::microseconds{0};
  }
  return std::chrono::microseconds{usec};
}

int run_service(const ServiceHostOptions& options) {
  install_shutdown_handlers(options.request_stop);
  if (!under_systemd()) {
    return options.body(ServiceEvents{[] {}, [] {}, [] {}});
  }
  // Pings are forwarded at most every quarter interval, so a body that reports health in a
  // tight loop does not flood the manager, while one that reports every interval/2 always gets
  // through in time.
  auto interval = service_watchdog_interval();
  auto min_gap = interval / 4;
  auto last_ping = std::make_shared<std::atomic<Clock::rep>>(0);
  ServiceEvents events;
  events.ready = [] { notify_service_manager("READY=1\nSTATUS=running"); };
  events.watchdog = [interval, min_gap, last_ping] {
    if (interval.count() == 0) {
      return;
    }
    auto now = Clock::now().time_since_epoch().count();
    auto previous = last_ping->load();
    if (previous != 0 &&
        Clock::duration(now - previous) < std::chrono::duration_cast<Clock::duration>(min_gap)) {
      return;
    }
    last_ping->store(now);
    notify_service_manager("WATCHDOG=1");
  };
  events.stopping = [] { notify_service_manager("STOPPING=1\nSTATUS=stopping"); };
  int code = options.body(events);
  return code;
}

}  // namespace bookbridge::platform
