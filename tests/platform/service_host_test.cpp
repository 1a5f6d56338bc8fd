#include "platform/service_host.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace bookbridge::platform {
namespace {

using bookbridge::testing::TempDir;

// A real notify socket, as systemd would provide, bound in a temp dir.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    timeval timeout{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  std::string receive() {
    char buffer[512];
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }
  bool nothing_pending() {
    char buffer[16];
    return ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT) < 0;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

std::atomic<int> g_stop_requests{0};
void count_stop_request() {
  g_stop_requests.fetch_add(1);
}

TEST(ServiceHost, ForwardsLifecycleToSystemd) {
  TempDir dir("notify");
  NotifySocket socket(dir / "notify.sock");
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(service_watchdog_interval(), std::chrono::seconds(4));

  ServiceHostOptions options;
  options.request_stop = &count_stop_request;
  options.body = [](const ServiceEvents& events) {
    events.ready();
    events.watchdog();
    events.watchdog();  // within a quarter interval of the first: not forwarded
    events.stopping();
    return 7;
  };
  EXPECT_EQ(run_service(options), 7);
  EXPECT_EQ(socket.receive(), "READY=1\nSTATUS=running");
  EXPECT_EQ(socket.receive(), "WATCHDOG=1");
  EXPECT_EQ(socket.receive(), "STOPPING=1\nSTATUS=stopping");
  EXPECT_TRUE(socket.nothing_pending());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

TEST(ServiceHost, WatchdogOfAnotherProcessIsNotOurs) {
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", "1", 1);
  EXPECT_EQ(service_watchdog_interval().count(), 0);
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  EXPECT_EQ(service_watchdog_interval().count(), 0);
}

TEST(ServiceHost, RunsPlainlyWithoutAServiceManager) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(notify_service_manager("READY=1"));
  ServiceHostOptions options;
  options.request_stop = &count_stop_request;
  bool ran = false;
  options.body = [&](const ServiceEvents& events) {
    events.ready();
    events.watchdog();
    events.stopping();
    ran = true;
    return 0;
  };
  EXPECT_EQ(run_service(options), 0);
  EXPECT_TRUE(ran);
}

TEST(ServiceHost, SigtermDuringTheBodyRequestsStop) {
  ::unsetenv("NOTIFY_SOCKET");
  g_stop_requests = 0;
  ServiceHostOptions options;
  options.request_stop = &count_stop_request;
  options.body = [](const ServiceEvents&) {
    ::raise(SIGTERM);  // delivered to this thread before raise() returns
    return g_stop_requests.load() == 1 ? 0 : 1;
  };
  EXPECT_EQ(run_service(options), 0);
}

}  // namespace
}  // namespace bookbridge::platform
