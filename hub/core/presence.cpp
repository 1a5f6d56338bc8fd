#include "core/presence.h"

namespace bookbridge::hub::core {

void Presence::session_opened(const std::string& connection_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto& entry = entries_[connection_id];
  ++entry.sessions;
  entry.last_seen = now;
}

void Presence::session_closed(const std::string& connection_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto& entry = entries_[connection_id];
  if (entry.sessions > 0) {
    --entry.sessions;
  }
  entry.last_seen = now;
}

void Presence::seen(const std::string& connection_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  entries_[connection_id].last_seen = now;
}

void Presence::forget(const std::string& connection_id) {
  std::lock_guard lock(mutex_);
  entries_.erase(connection_id);
}

bool Presence::online(const std::string& connection_id, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(connection_id);
  if (it == entries_.end()) {
    return false;
  }
  return it->second.sessions > 0 || now - it->second.last_seen < kOnlineWindowMs;
}

std::optional<std::int64_t> Presence::last_seen(const std::string& connection_id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(connection_id);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second.last_seen;
}

}  // namespace bookbridge::hub::core
