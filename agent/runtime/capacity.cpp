#include "runtime/capacity.h"

#include <algorithm>

namespace bookbridge::agent::runtime {

int Capacity::try_acquire(int max) {
  std::lock_guard lock(mutex_);
  const int taken = std::clamp(free_, 0, std::max(max, 0));
  free_ -= taken;
  if (taken == 0 && max > 0) {
    starved_ = true;
  }
  return taken;
}

void Capacity::acquire_forced() {
  std::lock_guard lock(mutex_);
  --free_;
}

void Capacity::release(int slots, bool notify) {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(mutex_);
    free_ += slots;
    if ((notify || starved_) && slots > 0) {
      starved_ = false;
      listeners = listeners_;
    }
  }
  for (const auto& listener : listeners) {
    listener();
  }
}

int Capacity::available() const {
  std::lock_guard lock(mutex_);
  return std::max(free_, 0);
}

void Capacity::add_listener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

}  // namespace bookbridge::agent::runtime
