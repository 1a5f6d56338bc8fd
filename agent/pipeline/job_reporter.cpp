// DatasetJob: the reporter thread renews the lease every leaseSeconds/3 and sends progress at
// most every 2 s, so that the reader's thread never waits for the network.

#include <algorithm>

#include "pipeline/dataset_job.h"
#include "runtime/backoff.h"

namespace bookbridge::agent::pipeline {
namespace {

constexpr auto kProgressInterval = std::chrono::seconds(2);
constexpr auto kTick = std::chrono::milliseconds(250);

}  // namespace

void DatasetJob::set_band(int begin, int end, std::string_view verb) {
  std::lock_guard lock(progress_mutex_);
  band_begin_ = begin;
  band_end_ = end;
  band_verb_ = std::string(verb);
  progress_ = begin;
  description_ = std::string(verb);
  progress_dirty_ = false;  // the phase's status report carries it
}

void DatasetJob::reader_progress(const readers::Progress& progress) {
  int percent = 0;
  std::string description;
  {
    std::lock_guard lock(progress_mutex_);
    percent = band_begin_;
    if (progress.total && *progress.total > 0) {
      const auto done = std::min(progress.done, *progress.total);
      percent += static_cast<int>((band_end_ - band_begin_) * done / *progress.total);
    }
    description = band_verb_ + ": " + std::to_string(progress.done) +
                  (progress.total ? " of " + std::to_string(*progress.total) : std::string()) +
                  " records";
  }
  note_progress(percent, std::move(description));
}

void DatasetJob::note_progress(int percent, std::string description) {
  std::lock_guard lock(progress_mutex_);
  progress_ = std::clamp(percent, 0, 100);
  description_ = std::move(description);
  progress_dirty_ = true;
}

void DatasetJob::reporter_loop(std::stop_token stop) {
  using clock = std::chrono::steady_clock;
  const auto renew_every = std::chrono::seconds(std::max(1, env_.lease_seconds / 3));
  auto next_renew = clock::now() + renew_every;
  auto last_progress = clock::now();
  runtime::Backoff backoff(std::chrono::milliseconds(500),
                           std::chrono::seconds(std::max(1, env_.lease_seconds / 6)));
  while (runtime::interruptible_sleep(stop, kTick)) {
    if (abort_.load() != Abort::none) {
      return;
    }
    const auto now = clock::now();
    if (now >= next_renew) {
      auto result = env_.api->renew(row_.id, row_.lease_id, env_.lease_seconds);
      if (result.ok()) {
        backoff.reset();
        next_renew = clock::now() + renew_every;
      } else if (result.outcome == runtime::Outcome::lease_lost ||
                 result.outcome == runtime::Outcome::permanent) {
        log_.warn("lease renewal refused ({}): stopping work on this dataset", result.message);
        trigger_abort(Abort::lease_lost);
        return;
      } else if (result.outcome == runtime::Outcome::unauthorized) {
        trigger_abort(Abort::unauthorized);
        return;
      } else if (result.outcome != runtime::Outcome::cancelled) {
        log_.warn("lease renewal failed ({}), retrying", result.message);
        next_renew = clock::now() + backoff.next();
      }
    }
    if (now - last_progress < kProgressInterval) {
      continue;
    }
    std::unique_lock status_lock(status_mutex_, std::try_to_lock);
    if (!status_lock.owns_lock()) {
      continue;  // a phase change is being reported; it carries the progress
    }
    int percent = 0;
    std::string description;
    {
      std::lock_guard lock(progress_mutex_);
      if (!progress_dirty_) {
        continue;
      }
      progress_dirty_ = false;
      percent = progress_;
      description = description_;
    }
    last_progress = now;
    const auto status = model::to_string(hub_status_);
    auto result = env_.api->report_status(row_.id, row_.lease_id, status, percent, description);
    if (result.ok()) {
      env_.db->set_hub_status(row_.id, status, percent);
    } else if (result.outcome == runtime::Outcome::lease_lost) {
      trigger_abort(Abort::lease_lost);
      return;
    } else if (result.outcome == runtime::Outcome::unauthorized) {
      trigger_abort(Abort::unauthorized);
      return;
    }
  }
}

}  // namespace bookbridge::agent::pipeline
