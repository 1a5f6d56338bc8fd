#include "platform/signals.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>

namespace bookbridge::platform {
namespace {

std::atomic<int> g_requests{0};
void on_shutdown() {
  g_requests.fetch_add(1);
}

TEST(Signals, TermAndIntRequestShutdown) {
  g_requests = 0;
  install_shutdown_handlers(&on_shutdown);
  ::raise(SIGTERM);
  EXPECT_EQ(g_requests.load(), 1);
  ::raise(SIGINT);
  EXPECT_EQ(g_requests.load(), 2);
  ::raise(SIGTERM);  // any number of SIGTERMs just ask again
  EXPECT_EQ(g_requests.load(), 3);
  install_shutdown_handlers(&on_shutdown);  // re-installing resets the double-Ctrl+C count
}

TEST(Signals, BrokenPipeIsIgnored) {
  install_shutdown_handlers(&on_shutdown);
  ::raise(SIGPIPE);  // would end the process if not ignored
  struct sigaction current {};
  ::sigaction(SIGPIPE, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_IGN);
}

TEST(Signals, SecondInterruptEndsTheProcessAtOnce) {
  EXPECT_EXIT(
      {
        install_shutdown_handlers(&on_shutdown);
        ::raise(SIGINT);
        ::raise(SIGINT);
        std::exit(0);
      },
      ::testing::ExitedWithCode(130), "second interrupt");
}

}  // namespace
}  // namespace bookbridge::platform
