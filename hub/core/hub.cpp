#include "core/hub.h"

namespace bookbridge::hub::core {

Hub::Hub(store::Database& db, Clock clock, HubConfig config)
    : db_(db), clock_(std::move(clock)), config_(std::move(config)) {}

void Hub::set_notifier(Notifier notifier) {
  std::lock_guard lock(mutex_);
  notifier_ = std::move(notifier);
}

void Hub::set_public_url(std::string url) {
  std::lock_guard lock(mutex_);
  config_.public_url = std::move(url);
}

std::string Hub::public_url() const {
  std::lock_guard lock(mutex_);
  return config_.public_url;
}

void Hub::wake(const std::string& connection_id) const {
  std::function<void(const std::string&)> fn;
  {
    std::lock_guard lock(mutex_);
    fn = notifier_.wake;
  }
  if (fn) {
    fn(connection_id);
  }
}

void Hub::disconnect(const std::string& connection_id) const {
  std::function<void(const std::string&)> fn;
  {
    std::lock_guard lock(mutex_);
    fn = notifier_.disconnect;
  }
  if (fn) {
    fn(connection_id);
  }
}

void Hub::schedule_changed() const {
  std::function<void()> fn;
  {
    std::lock_guard lock(mutex_);
    fn = notifier_.schedule_changed;
  }
  if (fn) {
    fn();
  }
}

}  // namespace bookbridge::hub::core
