#include "runtime/shutdown.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "runtime/run.h"

#if defined(_WIN32)
#include <condition_variable>
#else
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

namespace bookbridge::agent {
namespace {

std::atomic<bool> g_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

#if defined(_WIN32)
// The service control handler runs on an ordinary thread: a condition variable is fine.
std::mutex g_mutex;
std::condition_variable g_cv;
#else
// Self-pipe: write() is async-signal-safe, so a signal handler may call request_shutdown().
std::atomic<int> g_write_fd{-1};
int g_read_fd = -1;
std::once_flag g_pipe_once;

void make_pipe() {
  int fds[2];
  if (::pipe(fds) != 0) {
    return;  // wait_for_shutdown() then falls back to checking the flag
  }
  for (int fd : fds) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  g_read_fd = fds[0];
  g_write_fd.store(fds[1]);
}
#endif

}  // namespace

void request_shutdown() {
  g_requested.store(true);
#if defined(_WIN32)
  g_cv.notify_all();
#else
  const int fd = g_write_fd.load();
  if (fd >= 0) {
    const char byte = 1;
    [[maybe_unused]] auto ignored = ::write(fd, &byte, 1);
  }
#endif
}

namespace runtime {

void reset_shutdown() {
  g_requested.store(false);  // before draining: a request arriving meanwhile keeps its flag
#if !defined(_WIN32)
  std::call_once(g_pipe_once, make_pipe);
  if (g_read_fd >= 0) {
    char buffer[64];
    while (::read(g_read_fd, buffer, sizeof buffer) > 0) {
    }
  }
#endif
}

bool shutdown_requested() {
  return g_requested.load();
}

bool wait_for_shutdown(std::chrono::milliseconds timeout) {
  if (g_requested.load()) {
    return true;
  }
#if defined(_WIN32)
  std::unique_lock lock(g_mutex);
  return g_cv.wait_for(lock, timeout, [] { return g_requested.load(); });
#else
  std::call_once(g_pipe_once, make_pipe);
  if (g_read_fd < 0) {
    // No pipe: re-check the flag at a short interval.
    const auto step = std::min(timeout, std::chrono::milliseconds(100));
    ::usleep(static_cast<useconds_t>(step.count() * 1000));
    return g_requested.load();
  }
  pollfd pfd{g_read_fd, POLLIN, 0};
  ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  return g_requested.load();
#endif
}

}  // namespace runtime
}  // namespace bookbridge::agent
