#include "sync/sync_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/datasets.h"

namespace bookbridge::hub::sync {

SyncLoop::SyncLoop(core::Hub& hub, std::chrono::milliseconds max_sleep)
    : hub_(hub), max_sleep_(max_sleep) {}

SyncLoop::~SyncLoop() {
  stop();
}

void SyncLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void SyncLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void SyncLoop::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

std::int64_t SyncLoop::run_once() {
  core::sweep_expired_leases(hub_);
  auto deadline = hub_.now() + max_sleep_.count();
  if (auto due = core::queue_scheduled(hub_)) {
    deadline = std::min(deadline, *due);
  }
  auto db = hub_.db().acquire();
  if (auto expiry = store::next_lease_expiry(*db)) {
    deadline = std::min(deadline, *expiry);
  }
  return deadline;
}

void SyncLoop::run() {
  while (true) {
    std::int64_t deadline = 0;
    try {
      deadline = run_once();
    } catch (const std::exception& e) {
      spdlog::error("sync loop: {}", e.what());
      deadline = hub_.now() + 1000;
    }
    std::unique_lock lock(mutex_);
    const auto delay = std::chrono::milliseconds(std::max<std::int64_t>(deadline - hub_.now(), 5));
    wake_.wait_for(lock, delay, [this] { return stopping_ || poked_; });
    if (stopping_) {
      return;
    }
    poked_ = false;
  }
}

}  // namespace bookbridge::hub::sync
