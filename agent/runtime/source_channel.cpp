// SourceWorker: the online channel. WebSocket (presence + wake-ups) when allowed and possible,
// else HTTPS long-poll; reconnects with capped exponential backoff and full jitter; claims at
// once on every (re)connection so that datasets queued while offline move on.

#include <algorithm>

#include "bookbridge/version_info.h"
#include "runtime/backoff.h"
#include "runtime/source_worker.h"

#if defined(_WIN32)
#include <cstdlib>
#else
#include <unistd.h>
#endif

namespace bookbridge::agent::runtime {
namespace {

constexpr auto kWebSocketRetry = std::chrono::minutes(5);
constexpr auto kLinkCheck = std::chrono::seconds(2);
constexpr auto kStableSession = std::chrono::seconds(60);

std::string host_name() {
#if defined(_WIN32)
  const char* name = std::getenv("COMPUTERNAME");
  return name != nullptr ? name : "unknown";
#else
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) {
    return "unknown";
  }
  return buffer;
#endif
}

}  // namespace

void SourceWorker::set_presence(bool online, std::string_view transport, std::string_view message) {
  state::PresenceRow row;
  {
    std::lock_guard lock(mutex_);
    online_ = online;
    if (online) {
      last_contact_ = state::utc_now();
    }
    row = {source_.name,         online, std::string(online ? transport : ""), last_contact_,
           std::string(message), ""};
  }
  shared_.db->put_presence(row);
}

void SourceWorker::revoke(LinkSession& session, std::string_view why) {
  if (session.revoked.exchange(true)) {
    return;
  }
  log_.error(
      "{}: the credential was revoked (unlinked, or linked again elsewhere). This source stops; "
      "the others go on. Run `bookbridge-agent link <linkUrl> --source {}` with the "
      "connection's current linkUrl",
      why, source_.name);
  set_presence(false, "", "credential revoked: link the source again");
  close_websocket();
  std::lock_guard lock(mutex_);
  cv_.notify_all();
}

void SourceWorker::close_websocket() {
  transport::WebSocketClient* ws = nullptr;
  {
    std::lock_guard lock(mutex_);
    ws = websocket_.get();
  }
  if (ws != nullptr) {
    ws->close();  // may wait for the close handshake: never under the mutex
  }
}

std::shared_ptr<LinkSession> SourceWorker::open_session(state::LinkRecord link) {
  const auto& hub = shared_.config->hub;
  if (!link.hub_url.empty() && !hub.url.empty() && link.hub_url != hub.url) {
    log_.warn("linked with hub {} but hub.url is {}; using hub.url", link.hub_url, hub.url);
  }
  transport::ClientOptions options;
  options.base_url = hub.url.empty() ? link.hub_url : hub.url;
  options.ca_file = hub.ca_file;
  auto session = std::make_shared<LinkSession>();
  try {
    session->api_client = std::make_unique<transport::HttpsClient>(options);
    session->channel_client = std::make_unique<transport::HttpsClient>(options);
  } catch (const std::exception& error) {
    log_.error("cannot set up the connection to the hub: {}", error.what());
    set_presence(false, "", error.what());
    return nullptr;
  }
  session->api = std::make_unique<HubApi>(*session->api_client, link.credential);
  session->channel_api = std::make_unique<HubApi>(*session->channel_client, link.credential);
  session->link = std::move(link);
  return session;
}

std::shared_ptr<LinkSession> SourceWorker::wait_for_link(
    std::stop_token stop, const std::shared_ptr<LinkSession>& previous) {
  bool told = false;
  while (!stop.stop_requested()) {
    auto link = state::load_link(shared_.config->state_dir, source_.name);
    const bool fresh = link && !link->credential.empty() &&
                       (!previous || previous->link.credential != link->credential);
    if (fresh) {
      if (auto session = open_session(std::move(*link))) {
        log_.info("linked to {} (connection {})", session->link.company_name,
                  session->link.connection_id);
        return session;
      }
    } else if (!told) {
      told = true;
      if (!previous) {
        log_.warn(
            "source {} is not linked: run `bookbridge-agent link <linkUrl> --source {}`; "
            "the other sources go on",
            source_.name, source_.name);
        set_presence(false, "",
                     "not linked: run bookbridge-agent link <linkUrl> --source " + source_.name);
      }
    }
    interruptible_sleep(stop, fresh ? std::chrono::seconds(30) : kLinkCheck);
  }
  return nullptr;
}

SourceWorker::WsResult SourceWorker::run_websocket(LinkSession& session, std::stop_token stop,
                                                   std::string& why) {
  transport::ClientOptions options;
  options.base_url =
      shared_.config->hub.url.empty() ? session.link.hub_url : shared_.config->hub.url;
  options.ca_file = shared_.config->hub.ca_file;
  transport::WebSocketClient* socket = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (websocket_ && websocket_url_ != options.base_url) {
      why = "the hub address changed; restart the agent";
      return WsResult::refused;
    }
    if (!websocket_) {
      try {
        websocket_ = std::make_unique<transport::WebSocketClient>(options);
        websocket_url_ = options.base_url;
      } catch (const std::exception& error) {
        why = error.what();
        return WsResult::refused;
      }
    }
    socket = websocket_.get();
  }
  unsigned status = 0;
  transport::Headers headers{{"Authorization", session.api->authorization()}};
  if (auto ec = socket->connect("/agent/v1/ws", headers, &status)) {
    if (status == 401) {
      return WsResult::unauthorized;
    }
    why = status != 0 ? "the hub answered HTTP " + std::to_string(status) + " to the upgrade"
                      : ec.message();
    return stop.stop_requested() ? WsResult::stopped : WsResult::refused;
  }
  if (stop.stop_requested() || session.revoked) {
    socket->close();
  }
  const nlohmann::json hello{{"type", "hello"},
                             {"hostname", host_name()},
                             {"agentVersion", kVersion},
                             {"sourceName", source_.name}};
  socket->send(hello.dump());
  set_presence(true, "websocket", "");
  log_.info("online (WebSocket)");
  wake();  // claim at once: datasets queued while offline move on
  const auto ended = socket->run([this](std::string_view text) {
    auto message = nlohmann::json::parse(text, nullptr, false);
    if (message.is_object() && message.value("type", "") == "wake") {
      wake();
    }
  });
  why = ended ? ended.message() : "closed";
  if (stop.stop_requested()) {
    set_presence(false, "", "stopped");
    return WsResult::stopped;
  }
  return WsResult::session_ended;
}

void SourceWorker::wait_for_claim_round(std::stop_token stop) {
  const auto limit = std::chrono::seconds(std::max(1, shared_.config->poll_interval_seconds));
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, stop, limit, [this] {
    return !wake_pending_ && !claiming_ && shared_.capacity->available() > 0;
  });
}

void SourceWorker::channel_loop(std::stop_token stop) {
  using clock = std::chrono::steady_clock;
  const auto mode = shared_.config->transport;
  Backoff backoff(std::chrono::seconds(1), std::chrono::seconds(60));
  auto ws_retry_at = clock::time_point::min();
  std::shared_ptr<LinkSession> session;
  bool offline_logged = false;
  while (!stop.stop_requested()) {
    if (!session || session->revoked) {
      session = wait_for_link(stop, session);
      if (!session) {
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        session_ = session;
      }
      recovery_pending_ = true;
      backoff.reset();
    }

    bool ws_failed = false;
    std::string ws_why;
    if (mode != config::TransportMode::poll &&
        (mode == config::TransportMode::websocket || clock::now() >= ws_retry_at)) {
      const auto began = clock::now();
      const auto result = run_websocket(*session, stop, ws_why);
      if (result == WsResult::stopped) {
        break;
      }
      if (result == WsResult::unauthorized) {
        revoke(*session, "the hub rejected the credential");
        continue;
      }
      if (result == WsResult::session_ended) {
        if (clock::now() - began > kStableSession) {
          backoff.reset();
        }
        log_.warn("WebSocket session ended ({}); reconnecting", ws_why);
        set_presence(false, "", "connection lost (" + ws_why + "): reconnecting");
        interruptible_sleep(stop, backoff.next());
        continue;
      }
      if (mode == config::TransportMode::websocket) {
        if (!offline_logged) {
          log_.warn("cannot open the WebSocket ({}); retrying with backoff", ws_why);
          offline_logged = true;
        }
        set_presence(false, "", "WebSocket unavailable: " + ws_why);
        interruptible_sleep(stop, backoff.next());
        continue;
      }
      ws_failed = true;
    }

    // HTTPS long-poll.
    auto result = session->channel_api->poll(shared_.config->poll_interval_seconds);
    if (stop.stop_requested()) {
      break;
    }
    if (result.ok()) {
      if (ws_failed) {
        log_.warn(
            "WebSocket unavailable ({}): using HTTPS long-poll; WebSocket is tried again "
            "in 5 minutes",
            ws_why);
        ws_retry_at = clock::now() + kWebSocketRetry;
      }
      bool was_online = false;
      {
        std::lock_guard lock(mutex_);
        was_online = online_;
      }
      set_presence(true, "poll", "");
      if (!was_online) {
        log_.info("online (HTTPS long-poll)");
        wake();  // claim at once after (re)connecting
      }
      offline_logged = false;
      backoff.reset();
      if (result.body.is_object() && result.body.value("work", false)) {
        wake();
        wait_for_claim_round(stop);
      }
      continue;
    }
    if (result.outcome == Outcome::unauthorized) {
      revoke(*session, "the hub rejected the credential");
      continue;
    }
    if (result.outcome == Outcome::cancelled) {
      continue;
    }
    const std::string why =
        ws_failed ? "WebSocket: " + ws_why + "; long-poll: " + result.message : result.message;
    if (!offline_logged) {
      log_.warn("cannot reach the hub ({}); retrying with backoff", why);
      offline_logged = true;
    }
    set_presence(false, "", "hub unreachable: " + why);
    interruptible_sleep(stop, backoff.next());
  }
  set_presence(false, "", "agent stopped");
}

}  // namespace bookbridge::agent::runtime
