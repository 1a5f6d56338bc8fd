#pragma once

// The agent-wide limit on datasets in flight (maxConcurrentDatasets, across all sources).

#include <functional>
#include <mutex>
#include <vector>

namespace bookbridge::agent::runtime {

class Capacity {
 public:
  explicit Capacity(int slots) : free_(slots) {}

  /// Takes up to `max` free slots; returns how many it took (0 when full).
  int try_acquire(int max);
  /// Takes a slot even when full (resuming a remembered dataset must not wait).
  void acquire_forced();
  /// Gives slots back. With `notify` (a dataset ended), or when someone found no free slot since
  /// the last notification, every listener learns that work may be claimed again.
  void release(int slots, bool notify);
  int available() const;
  /// Listeners are called without the lock held.
  void add_listener(std::function<void()> listener);

 private:
  mutable std::mutex mutex_;
  int free_;
  bool starved_ = false;  ///< try_acquire() found nothing free since the last notification
  std::vector<std::function<void()>> listeners_;
};

}  // namespace bookbridge::agent::runtime
