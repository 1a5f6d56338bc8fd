#pragma once

// One claimed dataset, from lease to an end: Fetching → Mapping → Validating → upload → commit
// (docs/protocol.md "One dataset, end to end"). Runs on its own thread; the reader runs here,
// never on a network thread. A reporter thread renews the lease every leaseSeconds/3 and sends
// throttled progress. Every step is recorded in agent.db first, so a restarted agent resumes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "config/agent_config.h"
#include "model/dataset_status.h"
#include "readers/reader.h"
#include "runtime/hub_api.h"
#include "runtime/log.h"
#include "state/state_db.h"

namespace bookbridge::agent::pipeline {

struct JobEnv {
  const config::SourceConfig* source = nullptr;
  readers::Reader* reader = nullptr;  ///< null when it could not be created: see reader_error
  std::optional<readers::ReadError> reader_error;
  state::StateDb* db = nullptr;
  runtime::HubApi* api = nullptr;
  std::filesystem::path work_root;  ///< <stateDir>/work; the job uses work_root/<datasetId>
  int lease_seconds = 60;
  std::size_t page_records = 1000;
  std::string link_key;  ///< identifies the current link (for Snapshot::identity checks)
  runtime::SourceLog log{""};
};

enum class JobEnd {
  complete,      ///< committed; the hub holds exactly the spooled records
  failed,        ///< reported as an error state (or NotSupported)
  released,      ///< handed back to the hub (shutdown)
  abandoned,     ///< lease lost: someone else owns it now; local copy dropped
  unauthorized,  ///< the credential was revoked: the source must stop
  interrupted,   ///< stopped before the hub could be told; local state kept for the next start
};
std::string_view to_string(JobEnd end);

class DatasetJob {
 public:
  /// `soft`: stop reading (shutdown begins). `hard`: stop everything, including an upload.
  DatasetJob(JobEnv env, state::DatasetRow row, std::stop_token soft, std::stop_token hard);
  ~DatasetJob();
  DatasetJob(const DatasetJob&) = delete;
  DatasetJob& operator=(const DatasetJob&) = delete;

  JobEnd run();

 private:
  friend class JobContext;
  enum class Abort { none, lease_lost, unauthorized };

  // Phases (dataset_job.cpp)
  JobEnd run_phases();
  /// nullopt: the spool is final, go on with the upload.
  std::optional<JobEnd> read_map_validate(model::DataType type);
  JobEnd upload_and_commit();
  JobEnd on_read_error(const readers::ReadError& error);
  JobEnd finish_complete();

  // Hub calls with retry (job_calls.cpp). Each returns nullopt to go on, or how the job ends.
  std::optional<JobEnd> transition(model::DatasetStatus status, std::stop_token stop);
  std::optional<JobEnd> upload_missing_pages();
  JobEnd fail(model::DatasetStatus status, std::string message,
              nlohmann::json validation = nullptr);
  JobEnd release();
  JobEnd abandon();
  /// The job end an abort asks for (dropping the local copy when the lease was lost), or
  /// nullopt.
  std::optional<JobEnd> aborted();
  /// Handles a non-ok call result common to every call: returns the end when the job must end.
  std::optional<JobEnd> on_call_problem(const runtime::CallResult& result);
  void trigger_abort(Abort reason);
  void record_result(std::string_view status, std::string_view message);
  void drop_local();

  // Progress and lease (job_reporter.cpp)
  void note_progress(int percent, std::string description);
  void reporter_loop(std::stop_token stop);
  void set_band(int begin, int end, std::string_view verb);
  void reader_progress(const readers::Progress& progress);

  JobEnv env_;
  state::DatasetRow row_;
  runtime::SourceLog log_;
  std::filesystem::path work_dir_;
  std::stop_source read_stop_;    ///< reading/mapping/validating
  std::stop_source upload_stop_;  ///< uploading/committing (only a hard stop or an abort)
  std::stop_callback<std::function<void()>> soft_callback_;
  std::stop_callback<std::function<void()>> hard_callback_;
  std::atomic<Abort> abort_{Abort::none};
  std::chrono::steady_clock::time_point started_;

  std::mutex status_mutex_;  ///< one status call at a time, with the current hub status
  model::DatasetStatus hub_status_ = model::DatasetStatus::queued;

  std::mutex progress_mutex_;
  int band_begin_ = 0;
  int band_end_ = 0;
  std::string band_verb_;
  int progress_ = 0;
  std::string description_;
  bool progress_dirty_ = false;

  std::string pending_identity_;
};

}  // namespace bookbridge::agent::pipeline
