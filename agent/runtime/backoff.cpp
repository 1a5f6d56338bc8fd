#include "runtime/backoff.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>

namespace bookbridge::agent::runtime {
namespace {

double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, Random random)
    : base_(std::max(base, std::chrono::milliseconds(1))),
      cap_(std::max(cap, base_)),
      random_(random ? std::move(random) : Random(&default_random)) {}

std::chrono::milliseconds Backoff::ceiling() const {
  // Doubling stops at the cap; the shift is bounded so it never overflows.
  const auto steps = std::min(attempt_, 40u);
  auto ceiling = base_;
  for (unsigned i = 0; i < steps && ceiling < cap_; ++i) {
    ceiling *= 2;
  }
  return std::min(ceiling, cap_);
}

std::chrono::milliseconds Backoff::next() {
  const auto upper = ceiling();
  if (attempt_ < 64) {
    ++attempt_;
  }
  const double r = std::clamp(random_(), 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(r * static_cast<double>(upper.count())));
}

bool interruptible_sleep(std::stop_token stop, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace bookbridge::agent::runtime
