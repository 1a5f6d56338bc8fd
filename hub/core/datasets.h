#pragma once

// Datasets (PullOperations) and their state machine. The hub is the authority: every change goes
// through model::can_transition and is applied in one SQLite transaction, or not at all.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hub.h"
#include "store/repositories.h"
#include "util/result.h"

namespace bookbridge::hub::core {

// ---- client side -------------------------------------------------------------------------

/// POST /companies/{id}/data/queue/{dataType}[?connectionId=]. 400 DatasetAlreadyInProgress
/// when the company already has an unfinished dataset of that type.
Result<store::DatasetRow> queue_dataset(Hub& hub, std::string_view company_id,
                                        std::string_view data_type_key,
                                        std::optional<std::string> connection_id);
/// POST /companies/{id}/data/all: queues every fetchOnFirstLink type not already in progress.
Result<void> queue_all(Hub& hub, std::string_view company_id);

/// Inside the caller's transaction: queues every fetchOnFirstLink type (in syncOrder) that has
/// no unfinished dataset. Returns how many were queued.
int queue_fetch_on_first_link(Hub& hub, store::Connection& db, const store::ConnectionRow& conn);
/// Inside the caller's transaction: every unfinished dataset of the connection -> Cancelled.
void cancel_unfinished(Hub& hub, store::Connection& db, std::string_view connection_id,
                       std::string_view reason);

// ---- the hub's own moves (sync loop) ------------------------------------------------------

/// Expired leases: in-progress -> Queued (counted); after max_lease_expiries -> InternalError.
/// Returns the number of datasets changed.
int sweep_expired_leases(Hub& hub);
/// Queues the next dataset of each type whose syncSchedule has passed since the last one, for
/// companies with a Linked connection. Returns the earliest future due time, if any.
std::optional<std::int64_t> queue_scheduled(Hub& hub, int* queued = nullptr);
/// After a crash: datasets left in Processing are stored again from their pages.
int recover_processing(Hub& hub);

// ---- agent side (the caller is authenticated as `conn`) ------------------------------------

struct Claimed {
  store::DatasetRow dataset;
  int attempt = 1;
};
Result<std::vector<Claimed>> claim(Hub& hub, const store::ConnectionRow& conn, int max,
                                   int lease_seconds);
Result<store::DatasetRow> renew_lease(Hub& hub, const store::ConnectionRow& conn,
                                      std::string_view dataset_id, std::string_view lease_id,
                                      int lease_seconds);
Result<store::DatasetRow> agent_status(Hub& hub, const store::ConnectionRow& conn,
                                       std::string_view dataset_id, std::string_view lease_id,
                                       std::string_view status, std::optional<int> progress,
                                       std::optional<std::string> description);
Result<store::DatasetRow> release(Hub& hub, const store::ConnectionRow& conn,
                                  std::string_view dataset_id, std::string_view lease_id);
Result<store::DatasetRow> fail(Hub& hub, const store::ConnectionRow& conn,
                               std::string_view dataset_id, std::string_view lease_id,
                               std::string_view status, std::string error_message,
                               std::optional<nlohmann::json> validation);

struct PageUpload {
  int number = 0;
  std::string lease_id;
  std::optional<std::int64_t> records;  ///< X-Records
  std::string sha256;                   ///< X-Content-SHA256 (hex, uncompressed body)
  std::string compressed_body;          ///< zstd
};
Result<store::PageRow> upload_page(Hub& hub, const store::ConnectionRow& conn,
                                   std::string_view dataset_id, const PageUpload& page);
Result<std::vector<store::PageRow>> list_pages(Hub& hub, const store::ConnectionRow& conn,
                                               std::string_view dataset_id,
                                               std::string_view lease_id);
Result<store::DatasetRow> commit(Hub& hub, const store::ConnectionRow& conn,
                                 std::string_view dataset_id, std::string_view lease_id,
                                 std::int64_t page_count, std::int64_t record_count,
                                 std::optional<nlohmann::json> validation);

// ---- shared helpers ----------------------------------------------------------------------

/// Applies `to` when can_transition(from, to, actor) allows it, else 409 IllegalTransition and
/// `row` stays as it was. Sets progress/completed as the state implies.
Result<void> transition(store::DatasetRow& row, model::DatasetStatus to, model::Actor actor,
                        std::int64_t now);

inline constexpr std::int64_t kMaxPageRecords = 1000;
inline constexpr std::size_t kMaxPageCompressedBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kMaxPageBytes = 64 * 1024 * 1024;  ///< decompressed

}  // namespace bookbridge::hub::core
