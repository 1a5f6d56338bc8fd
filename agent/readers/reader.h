#pragma once

// The reader interface: how the agent sees local accounting data.
//
// A reader works in two real phases, matching the dataset states the agent reports:
//   1. Fetching  - `fetch()` takes ONE consistent snapshot of the source into a private work
//                  directory (GnuCash SQLite: a read transaction copied with the backup API;
//                  GnuCash XML: one streamed read of the file). The source is opened read-only
//                  and never locked or written.
//   2. Mapping   - `map()` streams standard-model records (Codat shapes, nlohmann::json objects)
//                  of one data type from the snapshot to a RecordSink, one record at a time.
// Validation (the third phase) is reader-independent: see model/validation.h.
//
// Memory is bounded by design: neither phase holds a whole dataset in memory.
// Errors are values (ReadResult); a reader never throws across this interface.

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/data_type.h"

namespace bookbridge::readers {

/// Why a read failed; the agent maps each to a dataset state.
enum class ReadErrc {
  source_unavailable,  ///< missing or unreadable file              -> FetchError
  source_locked,       ///< locked by another program in a way we cannot read around -> FetchError
  source_corrupt,      ///< corrupt, truncated, not the expected format -> FetchError
  auth_rejected,       ///< source credentials rejected           -> AuthError
  not_supported,       ///< the reader cannot provide the data type -> NotSupported
  map_failed,          ///< a source record cannot be mapped        -> MapError
  cancelled,           ///< ReadContext::cancelled() became true    -> dataset released
  sink_failed,         ///< the RecordSink refused a record (disk full, ...) -> InternalError
  internal,            ///< anything else                           -> InternalError
};

struct ReadError {
  ReadErrc code = ReadErrc::internal;
  std::string message;  ///< for a person: names the file/record and the problem
  std::string item_id;  ///< for map_failed: the source record that failed
};

std::string_view to_string(ReadErrc code);

template <class T>
using ReadResult = boost::system::result<T, ReadError>;

/// Lets boost::system::result<T, ReadError>::value() throw a readable exception.
[[noreturn]] void throw_exception_from_error(const ReadError& error,
                                             const boost::source_location& location);

struct Progress {
  std::uint64_t done = 0;
  std::optional<std::uint64_t> total;  ///< when known
};

/// What the agent lends a reader while it works. Implementations are thread-compatible: a
/// reader calls them from the thread that called fetch()/map().
class ReadContext {
 public:
  virtual ~ReadContext() = default;
  /// Polled regularly (at least every few thousand rows); when true, stop with
  /// ReadErrc::cancelled.
  virtual bool cancelled() const = 0;
  /// Reports progress of the current phase (cheap; may be called often).
  virtual void progress(const Progress& progress) = 0;
};

/// Receives mapped records one at a time. The record is moved in; keep nothing.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual ReadResult<void> write(nlohmann::json&& record) = 0;
};

/// A consistent, private copy of the source made by fetch(). Lives in the work directory given
/// to fetch(); the agent deletes that directory when the dataset ends.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
  /// A stable identity of the source's data set (GnuCash: the book's GUID), or "" when the
  /// source has none. The agent remembers it after the first successful sync of a link and
  /// refuses (AuthError) to sync a source whose identity changed — a different company's books
  /// must never flow into this company — until the source is linked again.
  virtual std::string identity() const { return {}; }
};
using SnapshotPtr = std::unique_ptr<Snapshot>;

class Reader {
 public:
  virtual ~Reader() = default;

  // Identity
  /// The registry name, e.g. "gnucash" (also the hub's platformKey).
  virtual std::string_view name() const = 0;
  /// True when this reader can produce `type`. The agent answers NotSupported otherwise.
  virtual bool supports(model::DataType type) const = 0;

  // Phases
  /// Fetching: one consistent snapshot of the source into `work_dir` (exists, empty, private).
  virtual ReadResult<SnapshotPtr> fetch(const std::filesystem::path& work_dir,
                                        ReadContext& context) = 0;
  /// Mapping: streams every record of `type` from `snapshot` to `sink`. For single-document
  /// types (company, balanceSheet, profitAndLoss) exactly one record is written.
  virtual ReadResult<void> map(Snapshot& snapshot, model::DataType type, RecordSink& sink,
                               ReadContext& context) = 0;
};
using ReaderPtr = std::unique_ptr<Reader>;

}  // namespace bookbridge::readers
