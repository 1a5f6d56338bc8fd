#pragma once

// The hub's domain core: state shared by the client API, the agent gateway and the scheduler.
// It owns no threads; the HTTP layer and the sync loop call into the operations declared in
// core/*.h, which take a Hub&.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "core/presence.h"
#include "store/database.h"
#include "util/clock.h"

namespace bookbridge::hub::core {

struct HubConfig {
  std::string public_url = "https://127.0.0.1:0";  ///< base of linkUrl
  std::string link_secret;  ///< HMAC key for one-time link tokens (DATA/link-secret)
  int max_lease_expiries = 5;
  std::int64_t link_token_ttl_ms = 7LL * 24 * 3600 * 1000;
  int max_lease_seconds = 3600;
};

/// Side effects on agents, wired to the HTTPS server once it exists.
struct Notifier {
  std::function<void(const std::string& connection_id)> wake;        ///< work may be claimable
  std::function<void(const std::string& connection_id)> disconnect;  ///< credential revoked
  std::function<void()> schedule_changed;  ///< a lease or schedule deadline moved earlier
};

class Hub {
 public:
  Hub(store::Database& db, Clock clock, HubConfig config);

  store::Database& db() { return db_; }
  std::int64_t now() const { return clock_(); }
  const HubConfig& config() const { return config_; }
  Presence& presence() { return presence_; }

  void set_notifier(Notifier notifier);
  void set_public_url(std::string url);
  std::string public_url() const;

  void wake(const std::string& connection_id) const;
  void disconnect(const std::string& connection_id) const;
  void schedule_changed() const;

 private:
  store::Database& db_;
  Clock clock_;
  HubConfig config_;
  Presence presence_;
  mutable std::mutex mutex_;
  Notifier notifier_;
};

}  // namespace bookbridge::hub::core
