#include "pipeline/spool_sink.h"

namespace bookbridge::agent::pipeline {

SpoolSink::SpoolSink(state::StateDb& db, std::string dataset_id, std::size_t page_records,
                     std::size_t page_bytes)
    : db_(db), dataset_id_(std::move(dataset_id)), builder_(page_records, page_bytes) {}

readers::ReadResult<void> SpoolSink::write(nlohmann::json&& record) {
  if (!record.is_object()) {
    return readers::ReadError{readers::ReadErrc::internal,
                              "the reader produced a record that is not a JSON object", ""};
  }
  builder_.add(record);
  ++records_;
  if (builder_.full()) {
    return flush();
  }
  return {};
}

readers::ReadResult<void> SpoolSink::finish() {
  if (builder_.empty()) {
    return {};
  }
  return flush();
}

readers::ReadResult<void> SpoolSink::flush() {
  auto page = builder_.finish();
  if (!page) {
    return readers::ReadError{readers::ReadErrc::sink_failed,
                              "cannot compress a spool page: " + page.error().message(), ""};
  }
  state::SpoolPage row{pages_, static_cast<std::int64_t>(page->records), std::move(page->sha256),
                       std::move(page->compressed)};
  if (auto ec = db_.put_page(dataset_id_, row)) {
    return readers::ReadError{readers::ReadErrc::sink_failed,
                              "cannot write spool page " + std::to_string(pages_) +
                                  " to the state database: " + ec.message(),
                              ""};
  }
  compressed_bytes_ += static_cast<std::int64_t>(row.body.size());
  ++pages_;
  return {};
}

}  // namespace bookbridge::agent::pipeline
