#include "pipeline/validation_store.h"

#include <nlohmann/json.hpp>

#include "pipeline/page_codec.h"

namespace bookbridge::agent::pipeline {
namespace {

using readers::ReadErrc;
using readers::ReadError;

/// Collects the `id` of each record of a referenced type.
class RefSink : public readers::RecordSink {
 public:
  RefSink(ValidationStore& store, model::DataType type) : store_(store), type_(type) {}

  readers::ReadResult<void> write(nlohmann::json&& record) override {
    if (auto it = record.find("id"); it != record.end() && it->is_string()) {
      if (auto ec = store_.add_ref(type_, it->get_ref<const std::string&>())) {
        return ReadError{ReadErrc::sink_failed,
                         "cannot store a reference id for validation: " + ec.message(), ""};
      }
    }
    if (++count_ % 1000 == 0) {
      store_.end_batch();
      store_.begin_batch();
    }
    return {};
  }

 private:
  ValidationStore& store_;
  model::DataType type_;
  std::uint64_t count_ = 0;
};

}  // namespace

boost::system::result<ValidationStorePtr, std::error_code> ValidationStore::create(
    const std::filesystem::path& file) {
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
  state::Connection connection;
  if (auto ec = connection.open(file, true)) {
    return ec;
  }
  // Scratch data, rebuilt on every run: no journal, no fsync.
  if (auto ec = connection.exec(
          "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
          "CREATE TABLE ids(id TEXT PRIMARY KEY) WITHOUT ROWID; "
          "CREATE TABLE refs(type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(type, id)) "
          "WITHOUT ROWID;")) {
    return ec;
  }
  return ValidationStorePtr(new ValidationStore(std::move(connection)));
}

bool ValidationStore::insert(std::string_view id) {
  state::Statement s(db_, "INSERT OR IGNORE INTO ids(id) VALUES(?1)");
  if (auto ec = s.bind(1, id).run()) {
    if (!error_) {
      error_ = ec;
    }
    return true;
  }
  return db_.changes() == 1;
}

bool ValidationStore::exists(model::DataType type, std::string_view id) const {
  if (!loaded_.contains(type)) {
    return true;
  }
  state::Statement s(db_, "SELECT 1 FROM refs WHERE type = ?1 AND id = ?2");
  s.bind(1, model::to_key(type)).bind(2, id);
  const bool found = s.step();
  return found || static_cast<bool>(s.error());  // a storage error never invents a problem
}

std::error_code ValidationStore::add_ref(model::DataType type, std::string_view id) {
  state::Statement s(db_, "INSERT OR IGNORE INTO refs(type, id) VALUES(?1, ?2)");
  return s.bind(1, model::to_key(type)).bind(2, id).run();
}

void ValidationStore::begin_batch() {
  if (!in_batch_ && !db_.exec("BEGIN")) {
    in_batch_ = true;
  }
}

void ValidationStore::end_batch() {
  if (in_batch_) {
    if (auto ec = db_.exec("COMMIT"); ec && !error_) {
      error_ = ec;
    }
    in_batch_ = false;
  }
}

readers::ReadResult<void> load_references(
    readers::Reader& reader, readers::Snapshot& snapshot, model::DataType type,
    ValidationStore& store, readers::ReadContext& context,
    const std::function<void(model::DataType, const readers::ReadError&)>& on_skipped) {
  for (const auto referenced : model::referenced_types(type)) {
    if (!reader.supports(referenced)) {
      continue;
    }
    RefSink sink(store, referenced);
    store.begin_batch();
    auto mapped = reader.map(snapshot, referenced, sink, context);
    store.end_batch();
    if (!mapped) {
      if (mapped.error().code == ReadErrc::cancelled) {
        return mapped.error();
      }
      if (on_skipped) {
        on_skipped(referenced, mapped.error());
      }
      continue;
    }
    store.mark_loaded(referenced);
  }
  return {};
}

readers::ReadResult<model::ValidationResult> validate_spool(
    state::StateDb& db, std::string_view dataset_id, std::int64_t page_count, model::DataType type,
    ValidationStore& store, readers::ReadContext& context) {
  model::ValidationResult result;
  model::RecordValidator validator(type, store, &store);
  std::uint64_t done = 0;
  for (std::int64_t n = 0; n < page_count; ++n) {
    if (context.cancelled()) {
      return ReadError{ReadErrc::cancelled, "validation cancelled", ""};
    }
    auto page = db.page(dataset_id, n);
    if (!page || !page->has_value()) {
      return ReadError{ReadErrc::internal,
                       "spool page " + std::to_string(n) + " is missing from the state database",
                       ""};
    }
    auto text = zstd_decompress((*page)->body);
    if (!text) {
      return ReadError{
          ReadErrc::internal,
          "spool page " + std::to_string(n) + " cannot be decoded: " + text.error().message(), ""};
    }
    store.begin_batch();
    const bool ok = for_each_record(*text, [&](nlohmann::json&& record) {
      validator.check(record, result);
      ++done;
      return true;
    });
    store.end_batch();
    if (!ok) {
      return ReadError{ReadErrc::internal,
                       "spool page " + std::to_string(n) + " holds a line that is not a record",
                       ""};
    }
    context.progress({done, std::nullopt});
  }
  if (store.error()) {
    return ReadError{ReadErrc::internal, "validation storage failed: " + store.error().message(),
                     ""};
  }
  return result;
}

}  // namespace bookbridge::agent::pipeline
