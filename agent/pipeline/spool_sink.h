#pragma once

// The Mapping phase's RecordSink: batches records into pages (page_codec.h) and stores each
// finished page in agent.db. Memory: one page at a time.

#include <cstdint>
#include <string>

#include "pipeline/page_codec.h"
#include "readers/reader.h"
#include "state/state_db.h"

namespace bookbridge::agent::pipeline {

class SpoolSink : public readers::RecordSink {
 public:
  SpoolSink(state::StateDb& db, std::string dataset_id, std::size_t page_records = kMaxPageRecords,
            std::size_t page_bytes = kMaxPageBytes);

  readers::ReadResult<void> write(nlohmann::json&& record) override;
  /// Stores the last partial page. Call once after the reader finished.
  readers::ReadResult<void> finish();

  std::int64_t pages() const { return pages_; }
  std::int64_t records() const { return records_; }
  std::int64_t compressed_bytes() const { return compressed_bytes_; }

 private:
  readers::ReadResult<void> flush();

  state::StateDb& db_;
  std::string dataset_id_;
  PageBuilder builder_;
  std::int64_t pages_ = 0;
  std::int64_t records_ = 0;
  std::int64_t compressed_bytes_ = 0;
};

}  // namespace bookbridge::agent::pipeline
