#pragma once

// The hub's own clock-driven work on one background thread: expired leases go back to Queued
// (or InternalError after too many), and each data type is queued again when its syncSchedule
// has passed. It sleeps until the next deadline (lease expiry, schedule) or until poked.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/hub.h"

namespace bookbridge::hub::sync {

class SyncLoop {
 public:
  explicit SyncLoop(core::Hub& hub, std::chrono::milliseconds max_sleep = std::chrono::seconds(30));
  ~SyncLoop();
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  void start();
  void stop();
  /// A deadline may have moved earlier (new lease, changed settings): re-plan now.
  void poke();

  /// One round (exposed for tests): returns the time (epoch ms) of the next deadline.
  std::int64_t run_once();

 private:
  void run();

  core::Hub& hub_;
  std::chrono::milliseconds max_sleep_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;
  std::thread thread_;
};

}  // namespace bookbridge::hub::sync
