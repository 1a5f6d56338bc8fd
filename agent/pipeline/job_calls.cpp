// DatasetJob: the hub calls of a dataset, each retried with capped exponential backoff and full
// jitter on retryable answers, and the common handling of lost leases and revoked credentials.

#include <map>

#include "pipeline/dataset_job.h"
#include "runtime/backoff.h"

namespace bookbridge::agent::pipeline {
namespace {

using model::DatasetStatus;
using runtime::Outcome;

/// Order of the agent's forward phases (for resuming: never step back).
int phase_rank(DatasetStatus status) {
  switch (status) {
    case DatasetStatus::fetching:
      return 1;
    case DatasetStatus::map_queued:
    case DatasetStatus::mapping:
      return 2;
    case DatasetStatus::validation_queued:
    case DatasetStatus::validating:
      return 3;
    default:
      return 0;
  }
}

runtime::Backoff call_backoff() {
  return runtime::Backoff(std::chrono::milliseconds(500), std::chrono::seconds(30));
}

}  // namespace

void DatasetJob::trigger_abort(Abort reason) {
  Abort expected = Abort::none;
  abort_.compare_exchange_strong(expected, reason);
  read_stop_.request_stop();
  upload_stop_.request_stop();
}

std::optional<JobEnd> DatasetJob::aborted() {
  switch (abort_.load()) {
    case Abort::lease_lost:
      return abandon();
    case Abort::unauthorized:
      return JobEnd::unauthorized;
    case Abort::none:
      break;
  }
  return std::nullopt;
}

std::optional<JobEnd> DatasetJob::on_call_problem(const runtime::CallResult& result) {
  if (result.outcome == Outcome::lease_lost) {
    log_.warn("the hub says the lease is no longer ours ({}): abandoning", result.message);
    trigger_abort(Abort::lease_lost);
    return abandon();
  }
  if (result.outcome == Outcome::unauthorized) {
    trigger_abort(Abort::unauthorized);
    return JobEnd::unauthorized;
  }
  return std::nullopt;
}

std::optional<JobEnd> DatasetJob::transition(DatasetStatus status, std::stop_token stop) {
  std::lock_guard lock(status_mutex_);
  if (phase_rank(status) < phase_rank(hub_status_)) {
    return std::nullopt;  // resumed past this phase already
  }
  auto backoff = call_backoff();
  int progress = 0;
  std::string description;
  {
    std::lock_guard plock(progress_mutex_);
    progress = progress_;
    description = description_;
  }
  for (;;) {
    if (auto end = aborted()) {
      return end;
    }
    auto result = env_.api->report_status(row_.id, row_.lease_id, model::to_string(status),
                                          progress, description);
    if (result.ok() || (result.outcome == Outcome::permanent &&
                        result.detailed_error_code == runtime::kIllegalTransition)) {
      // IllegalTransition on a forward step: the hub is already there (our record of its
      // status lagged behind before a crash); going on is safe.
      if (!result.ok()) {
        log_.debug("hub already past {}: {}", model::to_string(status), result.message);
      }
      hub_status_ = status;
      env_.db->set_hub_status(row_.id, model::to_string(status), progress);
      return std::nullopt;
    }
    if (auto end = on_call_problem(result)) {
      return end;
    }
    if (result.outcome == Outcome::permanent) {
      return fail(DatasetStatus::internal_error, "the hub refused the status " +
                                                     std::string(model::to_string(status)) + ": " +
                                                     result.message);
    }
    log_.warn("reporting {} failed ({}), retrying", model::to_string(status), result.message);
    if (!runtime::interruptible_sleep(stop, backoff.next())) {
      if (auto end = aborted()) {
        return end;
      }
      return release();
    }
  }
}

std::optional<JobEnd> DatasetJob::upload_missing_pages() {
  auto backoff = call_backoff();
  std::map<std::int64_t, std::string> held;  // pages the hub holds for this lease: number → sha
  for (;;) {
    auto result = env_.api->list_pages(row_.id, row_.lease_id);
    if (result.ok()) {
      if (result.body.is_object() && result.body.contains("pages") &&
          result.body["pages"].is_array()) {
        for (const auto& page : result.body["pages"]) {
          if (page.is_object() && page.value("number", nlohmann::json()).is_number_integer() &&
              page.value("sha256", nlohmann::json()).is_string()) {
            held[page["number"].get<std::int64_t>()] = page["sha256"].get<std::string>();
          }
        }
      }
      break;
    }
    if (auto end = on_call_problem(result)) {
      return end;
    }
    if (result.outcome == Outcome::permanent) {
      break;  // cannot tell: upload every page (PUT is idempotent)
    }
    if (!runtime::interruptible_sleep(upload_stop_.get_token(), backoff.next())) {
      return aborted().value_or(release());
    }
  }
  std::int64_t uploaded = 0;
  for (std::int64_t n = 0; n < row_.page_count; ++n) {
    auto page = env_.db->page(row_.id, n);
    if (!page || !page->has_value()) {
      return fail(DatasetStatus::internal_error,
                  "spool page " + std::to_string(n) + " is missing from the local state");
    }
    if (auto it = held.find(n); it != held.end() && it->second == (*page)->sha256) {
      continue;
    }
    backoff.reset();
    for (;;) {
      if (upload_stop_.stop_requested()) {
        return aborted().value_or(release());
      }
      auto result = env_.api->put_page(row_.id, row_.lease_id, **page);
      if (result.ok()) {
        break;
      }
      if (auto end = on_call_problem(result)) {
        return end;
      }
      if (result.outcome == Outcome::permanent) {
        return fail(DatasetStatus::internal_error,
                    "the hub refused page " + std::to_string(n) + ": " + result.message);
      }
      log_.warn("page {} upload failed ({}), retrying", n, result.message);
      if (!runtime::interruptible_sleep(upload_stop_.get_token(), backoff.next())) {
        return aborted().value_or(release());
      }
    }
    ++uploaded;
    note_progress(
        80 + static_cast<int>(19 * (n + 1) / std::max<std::int64_t>(row_.page_count, 1)),
        "Uploading page " + std::to_string(n + 1) + " of " + std::to_string(row_.page_count));
  }
  log_.info("uploaded {} page(s); {} already held by the hub", uploaded,
            row_.page_count - uploaded);
  return std::nullopt;
}

JobEnd DatasetJob::fail(DatasetStatus status, std::string message, nlohmann::json validation) {
  log_.error("{}: {}", model::to_string(status), message);
  auto backoff = call_backoff();
  for (;;) {
    auto result =
        env_.api->fail(row_.id, row_.lease_id, model::to_string(status), message, validation);
    if (result.ok()) {
      break;
    }
    if (auto end = on_call_problem(result)) {
      return *end;
    }
    if (result.outcome == Outcome::permanent) {
      log_.error("the hub refused the failure report: {}", result.message);
      break;
    }
    if (!runtime::interruptible_sleep(upload_stop_.get_token(), backoff.next())) {
      return aborted().value_or(JobEnd::interrupted);
    }
  }
  record_result(model::to_string(status), message);
  drop_local();
  return JobEnd::failed;
}

JobEnd DatasetJob::release() {
  auto backoff = call_backoff();
  for (;;) {
    auto result = env_.api->release(row_.id, row_.lease_id);
    if (result.ok()) {
      log_.info("released: the hub queues it again");
      drop_local();
      return JobEnd::released;
    }
    if (result.outcome == Outcome::lease_lost) {
      return abandon();
    }
    if (result.outcome == Outcome::unauthorized) {
      return JobEnd::unauthorized;
    }
    if (result.outcome == Outcome::permanent) {
      log_.warn("the hub refused the release ({}); forgetting the dataset", result.message);
      drop_local();
      return JobEnd::released;
    }
    // Keep the local state: a restarted agent renews the lease and carries on, or the lease
    // expires and the hub queues the dataset again.
    if (upload_stop_.stop_requested() ||
        !runtime::interruptible_sleep(upload_stop_.get_token(), backoff.next())) {
      log_.warn("could not release ({}); it resumes on the next start", result.message);
      return JobEnd::interrupted;
    }
  }
}

JobEnd DatasetJob::abandon() {
  log_.warn("lease lost: dropping the local copy; the hub decides what happens next");
  record_result("LeaseLost", "the lease was lost; the hub re-queued or reassigned the dataset");
  drop_local();
  return JobEnd::abandoned;
}

}  // namespace bookbridge::agent::pipeline
