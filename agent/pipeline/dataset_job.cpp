#include "pipeline/dataset_job.h"

#include <algorithm>
#include <thread>

#include "pipeline/failure.h"
#include "pipeline/spool_sink.h"
#include "pipeline/validation_store.h"
#include "runtime/backoff.h"

namespace bookbridge::agent::pipeline {

using model::DatasetStatus;

/// What the reader sees of the job: cancellation and progress.
class JobContext : public readers::ReadContext {
 public:
  explicit JobContext(DatasetJob& job) : job_(job), stop_(job.read_stop_.get_token()) {}
  bool cancelled() const override { return stop_.stop_requested(); }
  void progress(const readers::Progress& progress) override { job_.reader_progress(progress); }

 private:
  DatasetJob& job_;
  std::stop_token stop_;
};

std::string_view to_string(JobEnd end) {
  switch (end) {
    case JobEnd::complete:
      return "complete";
    case JobEnd::failed:
      return "failed";
    case JobEnd::released:
      return "released";
    case JobEnd::abandoned:
      return "abandoned";
    case JobEnd::unauthorized:
      return "unauthorized";
    case JobEnd::interrupted:
      return "interrupted";
  }
  return "unknown";
}

DatasetJob::DatasetJob(JobEnv env, state::DatasetRow row, std::stop_token soft,
                       std::stop_token hard)
    : env_(std::move(env)),
      row_(std::move(row)),
      log_(env_.log.with("dataset:" + row_.id + " " + row_.data_type)),
      work_dir_(env_.work_root / row_.id),
      soft_callback_(soft, std::function<void()>([this] { read_stop_.request_stop(); })),
      hard_callback_(hard, std::function<void()>([this] {
                       read_stop_.request_stop();
                       upload_stop_.request_stop();
                     })),
      started_(std::chrono::steady_clock::now()) {
  hub_status_ = model::dataset_status_from_string(row_.hub_status).value_or(DatasetStatus::queued);
}

DatasetJob::~DatasetJob() = default;

JobEnd DatasetJob::run() {
  std::jthread reporter([this](std::stop_token stop) { reporter_loop(stop); });
  const JobEnd end = run_phases();
  reporter.request_stop();
  reporter.join();
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
  log_.debug("ended: {}", to_string(end));
  return end;
}

JobEnd DatasetJob::run_phases() {
  const auto type = model::data_type_from_key(row_.data_type);
  if (!type) {
    return fail(DatasetStatus::not_supported,
                "the agent does not know the data type '" + row_.data_type + "'");
  }
  if (env_.reader == nullptr) {
    return on_read_error(env_.reader_error.value_or(
        readers::ReadError{readers::ReadErrc::internal, "no reader for this source", ""}));
  }
  if (!state::spool_is_final(row_.phase)) {
    if (auto end = read_map_validate(*type)) {
      return *end;
    }
  } else {
    log_.info("resuming the upload of {} records in {} pages", row_.record_count, row_.page_count);
  }
  return upload_and_commit();
}

std::optional<JobEnd> DatasetJob::read_map_validate(model::DataType type) {
  const auto& allowed = env_.source->data_types;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
    return fail(DatasetStatus::not_supported,
                "source '" + env_.source->name + "' is configured without " + row_.data_type +
                    " (its dataTypes list); add it to sync this data type");
  }
  if (!env_.reader->supports(type)) {
    return fail(DatasetStatus::not_supported, "the " + std::string(env_.reader->name()) +
                                                  " reader cannot provide " + row_.data_type);
  }

  // Fetching: a fresh snapshot in a private work dir (a previous attempt's leftovers go).
  env_.db->clear_spool(row_.id);
  env_.db->set_phase(row_.id, state::Phase::fetching);
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
  std::filesystem::create_directories(work_dir_, ec);
  if (ec) {
    return fail(DatasetStatus::internal_error,
                "cannot create the work directory " + work_dir_.string() + ": " + ec.message());
  }
  std::filesystem::permissions(work_dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  set_band(0, 30, "Fetching");
  if (auto end = transition(DatasetStatus::fetching, read_stop_.get_token())) {
    return *end;
  }
  JobContext context(*this);
  log_.info("fetching");
  auto snapshot = env_.reader->fetch(work_dir_, context);
  if (!snapshot) {
    return on_read_error(snapshot.error());
  }
  if (const auto identity = (*snapshot)->identity(); !identity.empty()) {
    auto known = env_.db->identity(env_.source->name, env_.link_key);
    if (known && known->has_value() && **known != identity) {
      return fail(DatasetStatus::auth_error,
                  "the source now holds a different data set (identity " + identity +
                      ") than the one synced under this link (" + **known +
                      "); a different company's books are never sent. If this is intended, "
                      "link the source again");
    }
    pending_identity_ = identity;
  }

  // Mapping: stream records into the spool, one page in memory at a time.
  env_.db->set_phase(row_.id, state::Phase::mapping);
  set_band(30, 60, "Mapping");
  if (auto end = transition(DatasetStatus::mapping, read_stop_.get_token())) {
    return *end;
  }
  log_.info("mapping");
  SpoolSink sink(*env_.db, row_.id, env_.page_records);
  if (auto mapped = env_.reader->map(**snapshot, type, sink, context); !mapped) {
    return on_read_error(mapped.error());
  }
  if (auto finished = sink.finish(); !finished) {
    return on_read_error(finished.error());
  }

  // Validating: stream the spool through the validator (ids and references on disk).
  env_.db->set_phase(row_.id, state::Phase::validating);
  set_band(60, 80, "Validating");
  if (auto end = transition(DatasetStatus::validating, read_stop_.get_token())) {
    return *end;
  }
  log_.info("validating {} records", sink.records());
  auto store = ValidationStore::create(work_dir_ / "validation.db");
  if (!store) {
    return fail(DatasetStatus::internal_error,
                "cannot create the validation store: " + store.error().message());
  }
  auto refs = load_references(*env_.reader, **snapshot, type, **store, context,
                              [this](model::DataType skipped, const readers::ReadError& error) {
                                log_.warn("references to {} are not checked: {}",
                                          model::to_key(skipped), error.message);
                              });
  if (!refs) {
    return on_read_error(refs.error());
  }
  auto result = validate_spool(*env_.db, row_.id, sink.pages(), type, **store, context);
  if (!result) {
    return on_read_error(result.error());
  }
  nlohmann::json validation = *result;
  if (!result->ok()) {
    const auto& first = result->errors.front();
    std::string message = std::to_string(result->errors.size() + result->dropped) +
                          " validation error(s); first: " + first.rule_id +
                          (first.item_id.empty() ? "" : " on " + first.item_id) + ": " +
                          first.message;
    return fail(DatasetStatus::validation_error, std::move(message), std::move(validation));
  }
  row_.page_count = sink.pages();
  row_.record_count = sink.records();
  row_.validation = validation.dump();
  if (auto write =
          env_.db->set_spool_final(row_.id, row_.page_count, row_.record_count, row_.validation)) {
    return fail(DatasetStatus::internal_error,
                "cannot record the finished spool in the state database: " + write.message());
  }
  row_.phase = state::Phase::uploading;
  if (!result->warnings.empty()) {
    log_.info("{} validation warning(s) will travel with the commit", result->warnings.size());
  }
  snapshot->reset();  // the snapshot is no longer needed: free its files before the upload
  std::filesystem::remove_all(work_dir_, ec);
  return std::nullopt;  // go on with the upload
}

JobEnd DatasetJob::on_read_error(const readers::ReadError& error) {
  if (auto end = aborted()) {
    return *end;
  }
  const FailureDecision decision = decide_failure(error);
  if (!decision.fail) {
    log_.info("reading stopped (shutdown): handing the dataset back");
    return release();
  }
  return fail(decision.status, decision.message);
}

JobEnd DatasetJob::upload_and_commit() {
  set_band(80, 100, "Uploading");
  if (auto end = transition(DatasetStatus::validating, upload_stop_.get_token())) {
    return *end;
  }
  runtime::Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(30));
  for (int round = 0;; ++round) {
    if (auto end = upload_missing_pages()) {
      return *end;
    }
    env_.db->set_phase(row_.id, state::Phase::committing);
    const nlohmann::json validation = row_.validation.empty()
                                          ? nlohmann::json::object()
                                          : nlohmann::json::parse(row_.validation, nullptr, false);
    for (;;) {
      auto result =
          env_.api->commit(row_.id, row_.lease_id, row_.page_count, row_.record_count,
                           validation.is_discarded() ? nlohmann::json::object() : validation);
      if (result.ok()) {
        return finish_complete();
      }
      if (auto end = on_call_problem(result)) {
        return *end;
      }
      if (result.outcome == runtime::Outcome::permanent) {
        if (result.detailed_error_code == runtime::kIncompleteUpload && round == 0) {
          log_.warn("the hub reports an incomplete upload ({}); checking the pages again",
                    result.message);
          break;  // one more upload round
        }
        return fail(DatasetStatus::internal_error, "the hub refused the commit: " + result.message);
      }
      log_.warn("commit failed ({}), retrying", result.message);
      if (!runtime::interruptible_sleep(upload_stop_.get_token(), backoff.next())) {
        return aborted().value_or(release());
      }
    }
  }
}

JobEnd DatasetJob::finish_complete() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  log_.info("Complete: {} records in {} pages ({:.1f} s)", row_.record_count, row_.page_count,
            seconds);
  if (!pending_identity_.empty()) {
    env_.db->put_identity(env_.source->name, env_.link_key, pending_identity_);
  }
  record_result("Complete", "");
  drop_local();
  return JobEnd::complete;
}

void DatasetJob::record_result(std::string_view status, std::string_view message) {
  state::ResultRow result;
  result.source = env_.source->name;
  result.data_type = row_.data_type;
  result.dataset_id = row_.id;
  result.status = std::string(status);
  result.message = std::string(message);
  result.record_count = row_.record_count;
  result.page_count = row_.page_count;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (auto ec = env_.db->put_result(result)) {
    log_.warn("cannot record the result in the state database: {}", ec.message());
  }
}

void DatasetJob::drop_local() {
  if (auto ec = env_.db->delete_dataset(row_.id)) {
    log_.warn("cannot remove the dataset from the state database: {}", ec.message());
  }
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

}  // namespace bookbridge::agent::pipeline
