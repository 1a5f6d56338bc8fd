#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace bookbridge::hub {

/// Milliseconds since the Unix epoch. Injected so that tests can move time.
using Clock = std::function<std::int64_t()>;

inline std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace bookbridge::hub
