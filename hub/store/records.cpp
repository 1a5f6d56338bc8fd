#include "store/records.h"

#include "util/time_format.h"

namespace bookbridge::hub::store {
namespace {

constexpr std::string_view kKey = "company_id = ? AND data_type = ? AND dataset_id = ?";

StoredRecord read_record(const Statement& s) {
  return StoredRecord{s.text(0), s.opt_int64(1), s.int64(2)};
}

}  // namespace

std::string served_json(const StoredRecord& record) {
  if (!record.modified_date) {
    return record.json;
  }
  const auto brace = record.json.find('{');
  if (brace == std::string::npos) {
    return record.json;
  }
  const auto next = record.json.find_first_not_of(" \t\r\n", brace + 1);
  const bool empty = next != std::string::npos && record.json[next] == '}';
  std::string field = "\"modifiedDate\":\"" + format_iso(*record.modified_date) + "\"";
  std::string out;
  out.reserve(record.json.size() + field.size() + 1);
  out.append(record.json, 0, brace + 1);
  out += field;
  if (!empty) {
    out += ',';
  }
  out.append(record.json, brace + 1, std::string::npos);
  return out;
}

SnapshotWriter::SnapshotWriter(Connection& db, std::string company_id, model::DataType type,
                               std::string dataset_id, std::int64_t now)
    : db_(db),
      company_id_(std::move(company_id)),
      type_key_(model::to_key(type)),
      dataset_id_(std::move(dataset_id)),
      now_(now),
      lookup_(db.prepare(std::string("SELECT json, modified_date FROM records WHERE ") +
                         std::string(kKey) + " AND record_id = ?")),
      insert_(db.prepare("INSERT INTO records (company_id, data_type, dataset_id, position, "
                         "record_id, json, modified_date) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
  auto s = db_.prepare(
      "SELECT dataset_id FROM records WHERE company_id = ? AND data_type = ? AND dataset_id != ? "
      "LIMIT 1");
  s.bind_all(company_id_, type_key_, dataset_id_);
  if (s.step()) {
    previous_dataset_ = s.text(0);
  }
}

void SnapshotWriter::add(std::string_view record_id, std::string_view json,
                         bool own_modified_date) {
  std::optional<std::int64_t> modified;
  if (!own_modified_date) {
    modified = now_;
    if (previous_dataset_) {
      lookup_.reset();
      lookup_.bind_all(company_id_, type_key_, *previous_dataset_, record_id);
      if (lookup_.step() && lookup_.text(0) == json && !lookup_.is_null(1)) {
        modified = lookup_.int64(1);
      }
    }
  }
  insert_.reset();
  insert_.bind_all(company_id_, type_key_, dataset_id_, position_, record_id, json, modified);
  insert_.run();
  ++position_;
}

std::int64_t SnapshotWriter::finish() {
  db_.prepare("DELETE FROM records WHERE company_id = ? AND data_type = ? AND dataset_id != ?")
      .bind_all(company_id_, type_key_, dataset_id_)
      .run();
  return position_;
}

std::int64_t count_records(Connection& db, std::string_view company_id, model::DataType type,
                           std::string_view dataset_id) {
  auto s = db.prepare(std::string("SELECT COUNT(*) FROM records WHERE ") + std::string(kKey));
  s.bind_all(company_id, model::to_key(type), dataset_id);
  s.step();
  return s.int64(0);
}

std::vector<StoredRecord> page_records(Connection& db, std::string_view company_id,
                                       model::DataType type, std::string_view dataset_id,
                                       std::int64_t offset, std::int64_t limit) {
  auto s = db.prepare(std::string("SELECT json, modified_date, position FROM records WHERE ") +
                      std::string(kKey) + " ORDER BY position LIMIT ? OFFSET ?");
  s.bind_all(company_id, model::to_key(type), dataset_id, limit, offset);
  std::vector<StoredRecord> out;
  while (s.step()) {
    out.push_back(read_record(s));
  }
  return out;
}

std::vector<StoredRecord> records_at(Connection& db, std::string_view company_id,
                                     model::DataType type, std::string_view dataset_id,
                                     const std::vector<std::int64_t>& positions) {
  auto s = db.prepare(std::string("SELECT json, modified_date, position FROM records WHERE ") +
                      std::string(kKey) + " AND position = ?");
  std::vector<StoredRecord> out;
  for (auto position : positions) {
    s.reset();
    s.bind_all(company_id, model::to_key(type), dataset_id, position);
    if (s.step()) {
      out.push_back(read_record(s));
    }
  }
  return out;
}

std::optional<StoredRecord> find_record(Connection& db, std::string_view company_id,
                                        model::DataType type, std::string_view dataset_id,
                                        std::string_view record_id) {
  auto s = db.prepare(std::string("SELECT json, modified_date, position FROM records WHERE ") +
                      std::string(kKey) + " AND record_id = ?");
  s.bind_all(company_id, model::to_key(type), dataset_id, record_id);
  if (s.step()) {
    return read_record(s);
  }
  return std::nullopt;
}

void for_each_record(Connection& db, std::string_view company_id, model::DataType type,
                     std::string_view dataset_id,
                     const std::function<bool(const StoredRecord&)>& fn) {
  auto s = db.prepare(std::string("SELECT json, modified_date, position FROM records WHERE ") +
                      std::string(kKey) + " ORDER BY position");
  s.bind_all(company_id, model::to_key(type), dataset_id);
  while (s.step()) {
    if (!fn(read_record(s))) {
      break;
    }
  }
}

}  // namespace bookbridge::hub::store
