#pragma once

// Which agents are online, in memory: a connection is online while it has a WebSocket session
// or made an authenticated call (e.g. a long-poll) within the last 90 seconds.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace bookbridge::hub::core {

class Presence {
 public:
  static constexpr std::int64_t kOnlineWindowMs = 90'000;

  void session_opened(const std::string& connection_id, std::int64_t now);
  void session_closed(const std::string& connection_id, std::int64_t now);
  /// Any authenticated agent call (poll, claim, ...).
  void seen(const std::string& connection_id, std::int64_t now);
  void forget(const std::string& connection_id);

  bool online(const std::string& connection_id, std::int64_t now) const;
  std::optional<std::int64_t> last_seen(const std::string& connection_id) const;

 private:
  struct Entry {
    int sessions = 0;
    std::int64_t last_seen = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace bookbridge::hub::core
