#pragma once

// One configured source (one company's books, linked to one connection): keeps its online
// channel to the hub (WebSocket, else long-poll), claims Queued datasets while the agent-wide
// capacity allows, resumes datasets remembered in agent.db, and runs each dataset on its own
// thread. A source's failure (not linked, credential revoked, hub refusing) never stops the
// others: each worker has its own clients, backoff and state.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "config/agent_config.h"
#include "readers/registry.h"
#include "runtime/capacity.h"
#include "runtime/hub_api.h"
#include "runtime/log.h"
#include "state/link_store.h"
#include "state/state_db.h"
#include "transport/https_client.h"

namespace bookbridge::agent::runtime {

struct WorkerShared {
  const config::AgentConfig* config = nullptr;
  const readers::ReaderRegistry* registry = nullptr;
  state::StateDb* db = nullptr;
  Capacity* capacity = nullptr;
  std::size_t page_records = 1000;
};

/// Everything that belongs to one link of the source (replaced when it is linked again).
struct LinkSession {
  state::LinkRecord link;
  std::unique_ptr<transport::HttpsClient> api_client;      ///< claims and dataset calls
  std::unique_ptr<transport::HttpsClient> channel_client;  ///< long-poll only
  std::unique_ptr<HubApi> api;
  std::unique_ptr<HubApi> channel_api;
  std::atomic<bool> revoked{false};
};

class SourceWorker {
 public:
  SourceWorker(WorkerShared shared, const config::SourceConfig& source);
  ~SourceWorker();
  SourceWorker(const SourceWorker&) = delete;
  SourceWorker& operator=(const SourceWorker&) = delete;

  const std::string& name() const { return source_.name; }
  void start();
  /// Shutdown, first step: stop claiming, cancel readers, close the channel.
  void begin_shutdown();
  /// Shutdown, second step: abort uploads still running (they release what they can).
  void hard_stop();
  /// Last step: abort every request in flight.
  void cancel_network();
  /// True when no dataset of this source is running.
  bool idle() const;
  void join();
  /// Asks the claim thread to claim (on connect, wake-up, free capacity).
  void wake();

 private:
  // Channel (source_channel.cpp)
  void channel_loop(std::stop_token stop);
  std::shared_ptr<LinkSession> wait_for_link(std::stop_token stop,
                                             const std::shared_ptr<LinkSession>& previous);
  std::shared_ptr<LinkSession> open_session(state::LinkRecord link);
  enum class WsResult { session_ended, refused, unauthorized, stopped };
  WsResult run_websocket(LinkSession& session, std::stop_token stop, std::string& why);
  void wait_for_claim_round(std::stop_token stop);
  void set_presence(bool online, std::string_view transport, std::string_view message);
  void revoke(LinkSession& session, std::string_view why);
  /// close() on the WebSocket, if any, without holding the worker's mutex.
  void close_websocket();

  // Claims and datasets (source_worker.cpp)
  void claim_loop(std::stop_token stop);
  void claim_round(const std::shared_ptr<LinkSession>& session, std::stop_token stop);
  void recover(const std::shared_ptr<LinkSession>& session);
  void start_job(const std::shared_ptr<LinkSession>& session, state::DatasetRow row);
  void reap_finished();
  std::shared_ptr<LinkSession> current_session();

  WorkerShared shared_;
  config::SourceConfig source_;
  SourceLog log_;
  std::stop_source soft_;  ///< shutdown begins
  std::stop_source hard_;  ///< uploads must stop now
  std::jthread channel_thread_;
  std::jthread claim_thread_;

  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  bool wake_pending_ = false;
  bool claiming_ = false;  ///< a claim round is running
  bool online_ = false;
  std::string last_contact_;
  std::atomic<bool> recovery_pending_{true};
  std::shared_ptr<LinkSession> session_;
  /// One client for every session of the worker (connect() again to reconnect), created by the
  /// channel thread; the pointer is only reset in join(), so close() may use it unlocked.
  std::unique_ptr<transport::WebSocketClient> websocket_;
  std::string websocket_url_;
  std::set<std::string> active_;  ///< dataset ids running
  std::map<std::uint64_t, std::thread> jobs_;
  std::vector<std::uint64_t> finished_;
  std::uint64_t next_job_ = 0;
};

}  // namespace bookbridge::agent::runtime
