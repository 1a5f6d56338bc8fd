// `bookbridge-agent run` under a (simulated) systemd: a real notify socket receives READY=1,
// WATCHDOG=1 and STOPPING=1 from the real binary; SIGTERM stops it cleanly.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace bookbridge::testing {
namespace {

using ::testing::HasSubstr;

class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  ~NotifySocket() { ::close(fd_); }

  /// Drains pending datagrams into `received`; true once one equals or starts with `prefix`.
  bool saw(const std::string& prefix) {
    char buffer[512];
    ssize_t n;
    while ((n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0) {
      received_.emplace_back(buffer, static_cast<std::size_t>(n));
    }
    for (const auto& message : received_) {
      if (message.rfind(prefix, 0) == 0) {
        return true;
      }
    }
    return false;
  }
  const std::vector<std::string>& received() const { return received_; }

 private:
  int fd_ = -1;
  std::vector<std::string> received_;
};

TEST(AgentService, NotifiesSystemdAndStopsCleanlyOnSigterm) {
  TempDir dir("agent-service");
  write_file(dir / "acme.gnucash", "");
  nlohmann::json config = {
      {"hub", {{"url", "https://127.0.0.1:9"}}},
      {"stateDir", (dir / "state").string()},
      {"sources", {{{"name", "acme"}, {"reader", "gnucash"}, {"path", "acme.gnucash"}}}}};
  write_file(dir / "agent.json", config.dump());
  NotifySocket socket(dir / "notify.sock");

  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY, "run", "--config", (dir / "agent.json").string()};
  options.env = {{"NOTIFY_SOCKET", (dir / "notify.sock").string()}, {"WATCHDOG_USEC", "1000000"}};
  options.output_file = dir / "agent.out";
  ChildProcess agent(options);

  ASSERT_TRUE(poll_until([&] { return socket.saw("READY=1") || !agent.running(); }, 20s))
      << agent.output();
  ASSERT_TRUE(socket.saw("READY=1")) << agent.output();
  EXPECT_TRUE(poll_until([&] { return socket.saw("WATCHDOG=1"); }, 10s)) << agent.output();

  agent.send_signal(SIGTERM);
  auto code = agent.wait(20s);
  ASSERT_TRUE(code.has_value()) << "did not stop within 20 s:\n" << agent.output();
  EXPECT_EQ(*code, 0) << agent.output();
  EXPECT_TRUE(socket.saw("STOPPING=1")) << agent.output();
  EXPECT_THAT(agent.output(), HasSubstr("[source:acme]")) << "log lines name their source";
}

}  // namespace
}  // namespace bookbridge::testing
