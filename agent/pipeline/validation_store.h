#pragma once

// Disk-backed helpers for dataset-wide validation rules (unique ids, references resolving), so
// that memory does not grow with the dataset: a scratch SQLite file in the dataset's work dir.

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string_view>
#include <system_error>

#include "model/validation.h"
#include "readers/reader.h"
#include "state/sqlite.h"
#include "state/state_db.h"

namespace bookbridge::agent::pipeline {

class ValidationStore;
using ValidationStorePtr = std::unique_ptr<ValidationStore>;

class ValidationStore : public model::IdSet, public model::RefResolver {
 public:
  /// Creates (replacing) the scratch database `file`.
  static boost::system::result<ValidationStorePtr, std::error_code> create(
      const std::filesystem::path& file);

  // IdSet
  bool insert(std::string_view id) override;
  // RefResolver: types whose ids were not loaded resolve every reference (cannot tell).
  bool exists(model::DataType type, std::string_view id) const override;

  std::error_code add_ref(model::DataType type, std::string_view id);
  void mark_loaded(model::DataType type) { loaded_.insert(type); }
  /// Groups writes into one transaction (much faster); end_batch() commits.
  void begin_batch();
  void end_batch();
  /// The first storage error met (a failing insert is not reported as a duplicate).
  std::error_code error() const { return error_; }

 private:
  explicit ValidationStore(state::Connection connection) : db_(std::move(connection)) {}

  state::Connection db_;
  std::set<model::DataType> loaded_;
  std::error_code error_;
  bool in_batch_ = false;
};

/// Maps every type `type` refers to (and the reader supports) from `snapshot` into the store's
/// reference table. A referenced type that fails to map is skipped (its references are then not
/// checked) and reported through `on_skipped`; cancellation is returned as an error.
readers::ReadResult<void> load_references(
    readers::Reader& reader, readers::Snapshot& snapshot, model::DataType type,
    ValidationStore& store, readers::ReadContext& context,
    const std::function<void(model::DataType, const readers::ReadError&)>& on_skipped);

/// Streams the spooled pages 0..page_count-1 through RecordValidator.
readers::ReadResult<model::ValidationResult> validate_spool(
    state::StateDb& db, std::string_view dataset_id, std::int64_t page_count, model::DataType type,
    ValidationStore& store, readers::ReadContext& context);

}  // namespace bookbridge::agent::pipeline
