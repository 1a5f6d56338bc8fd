#include "runtime/source_worker.h"

#include <algorithm>
#include <future>

#include "pipeline/dataset_job.h"
#include "pipeline/page_codec.h"
#include "runtime/agent_setup.h"
#include "runtime/backoff.h"

namespace bookbridge::agent::runtime {
namespace {

/// A claimed dataset from the hub's answer; nullopt when the entry is malformed.
std::optional<state::DatasetRow> claimed_row(const nlohmann::json& item,
                                             const std::string& source) {
  if (!item.is_object()) {
    return std::nullopt;
  }
  auto text = [&item](const char* key) -> std::optional<std::string> {
    auto it = item.find(key);
    if (it == item.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return std::nullopt;
    }
    return it->get<std::string>();
  };
  auto id = text("id");
  auto lease = text("leaseId");
  auto type = text("dataType");
  if (!id || !lease || !type) {
    return std::nullopt;
  }
  state::DatasetRow row;
  row.id = *id;
  row.lease_id = *lease;
  row.data_type = *type;
  row.source = source;
  row.company_id = text("companyId").value_or("");
  if (auto it = item.find("attempt"); it != item.end() && it->is_number_integer()) {
    row.attempt = it->get<int>();
  }
  row.phase = state::Phase::claimed;
  row.hub_status = "Queued";
  row.started = state::utc_now();
  return row;
}

/// Destroys a WebSocket client, waiting at most a moment: a client whose session died with the
/// peer may take until its idle timeout to wind down, and shutdown must not wait for that.
void dispose_bounded(std::unique_ptr<transport::WebSocketClient> client) {
  if (!client) {
    return;
  }
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread([client = std::move(client), done]() mutable {
    client.reset();
    done->set_value();
  }).detach();
  finished.wait_for(std::chrono::seconds(2));
}

}  // namespace

SourceWorker::SourceWorker(WorkerShared shared, const config::SourceConfig& source)
    : shared_(shared), source_(source), log_(source.name) {}

SourceWorker::~SourceWorker() {
  begin_shutdown();
  hard_stop();
  cancel_network();
  join();
}

void SourceWorker::start() {
  claim_thread_ = std::jthread([this](std::stop_token) { claim_loop(soft_.get_token()); });
  channel_thread_ = std::jthread([this](std::stop_token) { channel_loop(soft_.get_token()); });
}

void SourceWorker::begin_shutdown() {
  soft_.request_stop();
  close_websocket();
  std::lock_guard lock(mutex_);
  if (session_ && session_->channel_client) {
    session_->channel_client->cancel_all();
  }
  cv_.notify_all();
}

void SourceWorker::hard_stop() {
  hard_.request_stop();
}

void SourceWorker::cancel_network() {
  std::lock_guard lock(mutex_);
  if (session_ && session_->api_client) {
    session_->api_client->cancel_all();
  }
}

bool SourceWorker::idle() const {
  std::lock_guard lock(mutex_);
  return active_.empty();
}

void SourceWorker::join() {
  if (channel_thread_.joinable()) {
    channel_thread_.join();
  }
  if (claim_thread_.joinable()) {
    claim_thread_.join();
  }
  std::map<std::uint64_t, std::thread> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
    finished_.clear();
  }
  for (auto& [id, thread] : jobs) {
    thread.join();
  }
  dispose_bounded(std::move(websocket_));
}

void SourceWorker::wake() {
  std::lock_guard lock(mutex_);
  wake_pending_ = true;
  cv_.notify_all();
}

std::shared_ptr<LinkSession> SourceWorker::current_session() {
  std::lock_guard lock(mutex_);
  return session_;
}

void SourceWorker::reap_finished() {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(mutex_);
    for (auto id : finished_) {
      if (auto it = jobs_.find(id); it != jobs_.end()) {
        done.push_back(std::move(it->second));
        jobs_.erase(it);
      }
    }
    finished_.clear();
  }
  for (auto& thread : done) {
    thread.join();
  }
}

void SourceWorker::claim_loop(std::stop_token stop) {
  const auto tick = std::chrono::seconds(std::max(1, shared_.config->poll_interval_seconds));
  while (!stop.stop_requested()) {
    bool woken = false;
    bool online = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, stop, tick, [this] { return wake_pending_; });
      if (stop.stop_requested()) {
        break;
      }
      woken = wake_pending_;
      wake_pending_ = false;
      online = online_;
      claiming_ = true;
    }
    reap_finished();
    auto session = current_session();
    if (!session || session->revoked || (!woken && !online)) {
      std::lock_guard lock(mutex_);
      claiming_ = false;
      cv_.notify_all();
      continue;
    }
    // Remembered datasets first (crash recovery), then new work. An idle tick while online
    // claims too: a safety net should a wake-up be lost.
    if (recovery_pending_) {
      recover(session);
    }
    claim_round(session, stop);
    {
      std::lock_guard lock(mutex_);
      claiming_ = false;
      cv_.notify_all();  // the channel may wait for this round
    }
  }
}

void SourceWorker::recover(const std::shared_ptr<LinkSession>& session) {
  auto rows = shared_.db->datasets(source_.name);
  if (!rows) {
    log_.error("cannot read the state database: {}", rows.error().message());
    return;
  }
  bool again = false;
  for (auto& row : *rows) {
    {
      std::lock_guard lock(mutex_);
      if (active_.contains(row.id)) {
        continue;
      }
    }
    auto renewed = session->api->renew(row.id, row.lease_id, shared_.config->lease_seconds);
    if (renewed.ok()) {
      log_.info("resuming dataset {} ({}) from its {} phase", row.id, row.data_type,
                state::to_string(row.phase));
      shared_.capacity->acquire_forced();
      start_job(session, std::move(row));
    } else if (renewed.outcome == Outcome::lease_lost || renewed.outcome == Outcome::permanent) {
      log_.info(
          "dataset {} ({}): its lease ended while the agent was down ({}); the hub "
          "queues it again, the local copy is dropped",
          row.id, row.data_type, renewed.message);
      shared_.db->delete_dataset(row.id);
    } else if (renewed.outcome == Outcome::unauthorized) {
      revoke(*session, "the hub rejected the credential");
      return;
    } else {
      again = true;  // hub unreachable: try again on the next round
    }
  }
  recovery_pending_ = again;
}

void SourceWorker::claim_round(const std::shared_ptr<LinkSession>& session, std::stop_token stop) {
  Backoff backoff(std::chrono::seconds(1), std::chrono::seconds(60));
  while (!stop.stop_requested() && !session->revoked) {
    const int slots = shared_.capacity->try_acquire(shared_.config->max_concurrent_datasets);
    if (slots == 0) {
      return;  // a finishing dataset wakes us again
    }
    auto result = session->api->claim(slots, shared_.config->lease_seconds);
    if (!result.ok()) {
      shared_.capacity->release(slots, false);
      if (result.outcome == Outcome::unauthorized) {
        revoke(*session, "the hub rejected the credential");
        return;
      }
      if (result.outcome == Outcome::permanent) {
        log_.error("the hub refused to hand out work: {}", result.message);
        return;
      }
      if (result.outcome == Outcome::cancelled) {
        return;
      }
      log_.warn("claiming failed ({}), retrying", result.message);
      if (!interruptible_sleep(stop, backoff.next())) {
        return;
      }
      continue;
    }
    const auto& list = result.body.is_object() ? result.body.value("datasets", nlohmann::json())
                                               : nlohmann::json();
    int started = 0;
    if (list.is_array()) {
      for (const auto& item : list) {
        if (started == slots) {
          break;  // never more than asked for
        }
        auto row = claimed_row(item, source_.name);
        if (!row) {
          log_.warn("ignoring a malformed dataset in the hub's claim answer");
          continue;
        }
        log_.info("claimed dataset {} ({}, attempt {})", row->id, row->data_type, row->attempt);
        ++started;
        start_job(session, std::move(*row));
      }
    }
    shared_.capacity->release(slots - started, false);
    if (started < slots) {
      return;  // nothing more is Queued
    }
  }
}

void SourceWorker::start_job(const std::shared_ptr<LinkSession>& session, state::DatasetRow row) {
  if (row.phase == state::Phase::claimed) {
    // Remember the claim before doing anything else: a crash from here on resumes it.
    if (auto ec = shared_.db->begin_dataset(row)) {
      log_.error("cannot record dataset {} in the state database ({}); handing it back", row.id,
                 ec.message());
      session->api->release(row.id, row.lease_id);
      shared_.capacity->release(1, true);
      return;
    }
  }
  std::lock_guard lock(mutex_);
  active_.insert(row.id);
  const auto job_id = next_job_++;
  jobs_.emplace(job_id, std::thread([this, session, row = std::move(row), job_id]() mutable {
                  const auto* factory = shared_.registry->find(source_.reader);
                  readers::ReaderPtr reader;
                  std::optional<readers::ReadError> reader_error;
                  if (factory == nullptr) {
                    reader_error = readers::ReadError{
                        readers::ReadErrc::internal,
                        "this agent has no reader named '" + source_.reader + "'", ""};
                  } else if (auto created = factory->create(reader_entry(source_))) {
                    reader = std::move(*created);
                  } else {
                    reader_error = created.error();
                  }
                  pipeline::JobEnv env;
                  env.source = &source_;
                  env.reader = reader.get();
                  env.reader_error = reader_error;
                  env.db = shared_.db;
                  env.api = session->api.get();
                  env.work_root = shared_.config->state_dir / "work";
                  env.lease_seconds = shared_.config->lease_seconds;
                  env.page_records = shared_.page_records;
                  // Every link issues a new credential, so its hash names this link (never the
                  // credential itself); linkedAt has only one-second resolution.
                  env.link_key = session->link.connection_id + "@" +
                                 pipeline::sha256_hex(session->link.credential).substr(0, 16);
                  env.log = log_;
                  const std::string id = row.id;
                  pipeline::DatasetJob job(std::move(env), std::move(row), soft_.get_token(),
                                           hard_.get_token());
                  const auto end = job.run();
                  if (end == pipeline::JobEnd::unauthorized) {
                    revoke(*session, "the hub rejected the credential");
                  }
                  {
                    std::lock_guard lock(mutex_);
                    active_.erase(id);
                    finished_.push_back(job_id);
                    cv_.notify_all();
                  }
                  shared_.capacity->release(1, true);
                }));
}

}  // namespace bookbridge::agent::runtime
