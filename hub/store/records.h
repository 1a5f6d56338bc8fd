#pragma once

// The synced records of a company: one snapshot per data type, replaced as a whole by a commit.
// Records are stored as the exact JSON text the agent sent (decimals never pass through a
// double); the hub's modifiedDate lives in its own column and is spliced in when served.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/data_type.h"
#include "store/sqlite.h"

namespace bookbridge::hub::store {

struct StoredRecord {
  std::string json;
  std::optional<std::int64_t> modified_date;  ///< nullopt: the JSON has its own modifiedDate
  std::int64_t position = 0;
};

/// Writes a new snapshot inside the caller's transaction: add() each record, then finish()
/// deletes the previous snapshot. A record whose JSON text equals the previous snapshot's record
/// with the same id keeps its modifiedDate; others get `now`.
class SnapshotWriter {
 public:
  SnapshotWriter(Connection& db, std::string company_id, model::DataType type,
                 std::string dataset_id, std::int64_t now);
  /// Throws StoreError (constraint) when `record_id` repeats within the snapshot.
  /// `own_modified_date`: the record already has a modifiedDate (kept as sent).
  void add(std::string_view record_id, std::string_view json, bool own_modified_date);
  /// Returns the number of records written.
  std::int64_t finish();

 private:
  Connection& db_;
  std::string company_id_;
  std::string type_key_;
  std::string dataset_id_;
  std::optional<std::string> previous_dataset_;
  std::int64_t now_;
  std::int64_t position_ = 0;
  Statement lookup_;
  Statement insert_;
};

/// The record as served: `json` with "modifiedDate" spliced in when the hub owns it.
std::string served_json(const StoredRecord& record);

/// Number of records in the snapshot of `dataset_id`.
std::int64_t count_records(Connection& db, std::string_view company_id, model::DataType type,
                           std::string_view dataset_id);
/// Records at positions [offset, offset+limit) in upload order.
std::vector<StoredRecord> page_records(Connection& db, std::string_view company_id,
                                       model::DataType type, std::string_view dataset_id,
                                       std::int64_t offset, std::int64_t limit);
/// Records at the given positions (in that order).
std::vector<StoredRecord> records_at(Connection& db, std::string_view company_id,
                                     model::DataType type, std::string_view dataset_id,
                                     const std::vector<std::int64_t>& positions);
std::optional<StoredRecord> find_record(Connection& db, std::string_view company_id,
                                        model::DataType type, std::string_view dataset_id,
                                        std::string_view record_id);
/// Streams every record of the snapshot in order; stop by returning false.
void for_each_record(Connection& db, std::string_view company_id, model::DataType type,
                     std::string_view dataset_id,
                     const std::function<bool(const StoredRecord&)>& fn);

}  // namespace bookbridge::hub::store
