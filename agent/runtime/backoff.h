#pragma once

// Capped exponential backoff with full jitter: the n-th delay (n from 0) is a uniformly random
// duration in [0, min(cap, base * 2^n)]. Retry *timing* lives here and in interruptible_sleep();
// I/O code only reports ok / retry / permanent.

#include <chrono>
#include <cstdint>
#include <functional>
#include <stop_token>

namespace bookbridge::agent::runtime {

class Backoff {
 public:
  /// Returns a value in [0, 1); injectable for tests.
  using Random = std::function<double()>;

  Backoff(std::chrono::milliseconds base = std::chrono::seconds(1),
          std::chrono::milliseconds cap = std::chrono::seconds(60), Random random = {});

  /// The next delay; each call moves one step up the exponential ladder (until the cap).
  std::chrono::milliseconds next();
  /// The upper bound the next call draws from: min(cap, base * 2^attempt).
  std::chrono::milliseconds ceiling() const;
  /// After a success: start again from `base`.
  void reset() { attempt_ = 0; }
  unsigned attempt() const { return attempt_; }

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  Random random_;
  unsigned attempt_ = 0;
};

/// Sleeps for `duration` or until `stop` is requested. Returns false when interrupted.
bool interruptible_sleep(std::stop_token stop, std::chrono::milliseconds duration);

}  // namespace bookbridge::agent::runtime
