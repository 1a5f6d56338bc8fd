// Datasets and their uploaded pages.
#include "store/repositories.h"

namespace bookbridge::hub::store {
namespace {

constexpr std::string_view kColumns =
    "id, company_id, connection_id, data_type, status, status_description, error_message, "
    "progress, requested, completed, lease_id, lease_expires, claims, expired_leases, "
    "validation, record_count";

std::string select(std::string_view where) {
  return std::string("SELECT ") + std::string(kColumns) + " FROM datasets " + std::string(where);
}

DatasetRow read_dataset(const Statement& s) {
  DatasetRow row;
  row.id = s.text(0);
  row.company_id = s.text(1);
  row.connection_id = s.text(2);
  const auto type_key = s.text(3);
  const auto type = model::data_type_from_key(type_key);
  const auto status_text = s.text(4);
  const auto status = model::dataset_status_from_string(status_text);
  if (!type || !status) {
    throw StoreError("dataset " + row.id + " has an unknown data type or status in the database",
                     0);
  }
  row.data_type = *type;
  row.status = *status;
  row.status_description = s.opt_text(5);
  row.error_message = s.opt_text(6);
  row.progress = static_cast<int>(s.int64(7));
  row.requested = s.int64(8);
  row.completed = s.opt_int64(9);
  row.lease_id = s.opt_text(10);
  row.lease_expires = s.opt_int64(11);
  row.claims = static_cast<int>(s.int64(12));
  row.expired_leases = static_cast<int>(s.int64(13));
  row.validation = s.opt_text(14);
  row.record_count = s.opt_int64(15);
  return row;
}

std::vector<DatasetRow> read_all(Statement& s) {
  std::vector<DatasetRow> rows;
  while (s.step()) {
    rows.push_back(read_dataset(s));
  }
  return rows;
}

// SQL list of the terminal statuses, computed from the model so it never drifts.
const std::string& terminal_list() {
  static const std::string kList = [] {
    std::string list;
    for (auto status : model::all_dataset_statuses()) {
      if (model::is_terminal(status)) {
        list += list.empty() ? "'" : ", '";
        list += model::to_string(status);
        list += "'";
      }
    }
    return list;
  }();
  return kList;
}

}  // namespace

void insert_dataset(Connection& db, const DatasetRow& r) {
  db.prepare(std::string("INSERT INTO datasets (") + std::string(kColumns) +
             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(r.id, r.company_id, r.connection_id, model::to_key(r.data_type),
                model::to_string(r.status), r.status_description, r.error_message, r.progress,
                r.requested, r.completed, r.lease_id, r.lease_expires, r.claims, r.expired_leases,
                r.validation, r.record_count)
      .run();
}

std::optional<DatasetRow> find_dataset(Connection& db, std::string_view id) {
  auto s = db.prepare(select("WHERE id = ?"));
  s.bind_all(id);
  if (s.step()) {
    return read_dataset(s);
  }
  return std::nullopt;
}

void update_dataset(Connection& db, const DatasetRow& r) {
  db.prepare(
        "UPDATE datasets SET status = ?, status_description = ?, error_message = ?, "
        "progress = ?, completed = ?, lease_id = ?, lease_expires = ?, claims = ?, "
        "expired_leases = ?, validation = ?, record_count = ? WHERE id = ?")
      .bind_all(model::to_string(r.status), r.status_description, r.error_message, r.progress,
                r.completed, r.lease_id, r.lease_expires, r.claims, r.expired_leases, r.validation,
                r.record_count, r.id)
      .run();
}

std::vector<DatasetRow> list_datasets(Connection& db, std::string_view company_id) {
  auto s = db.prepare(select("WHERE company_id = ? ORDER BY requested, rowid"));
  s.bind_all(company_id);
  return read_all(s);
}

std::optional<DatasetRow> find_in_progress(Connection& db, std::string_view company_id,
                                           model::DataType type) {
  auto s = db.prepare(select("WHERE company_id = ? AND data_type = ? AND status NOT IN (" +
                             terminal_list() + ") ORDER BY requested DESC, rowid DESC LIMIT 1"));
  s.bind_all(company_id, model::to_key(type));
  if (s.step()) {
    return read_dataset(s);
  }
  return std::nullopt;
}

std::optional<DatasetRow> latest_dataset(Connection& db, std::string_view company_id,
                                         model::DataType type, bool complete_only) {
  auto s = db.prepare(
      select(std::string("WHERE company_id = ? AND data_type = ?") +
             (complete_only ? " AND status = 'Complete' ORDER BY completed DESC, rowid DESC"
                            : " ORDER BY requested DESC, rowid DESC") +
             " LIMIT 1"));
  s.bind_all(company_id, model::to_key(type));
  if (s.step()) {
    return read_dataset(s);
  }
  return std::nullopt;
}

std::vector<DatasetRow> queued_datasets(Connection& db, std::string_view connection_id) {
  auto s =
      db.prepare(select("WHERE connection_id = ? AND status = 'Queued' ORDER BY requested, rowid"));
  s.bind_all(connection_id);
  return read_all(s);
}

std::vector<DatasetRow> unfinished_datasets(Connection& db, std::string_view connection_id) {
  auto s = db.prepare(select("WHERE connection_id = ? AND status NOT IN (" + terminal_list() +
                             ") ORDER BY requested, rowid"));
  s.bind_all(connection_id);
  return read_all(s);
}

std::vector<DatasetRow> expired_leases(Connection& db, std::int64_t now) {
  auto s =
      db.prepare(select("WHERE lease_expires IS NOT NULL AND lease_expires <= ? "
                        "ORDER BY lease_expires"));
  s.bind_all(now);
  return read_all(s);
}

std::vector<DatasetRow> datasets_in_status(Connection& db, model::DatasetStatus status) {
  auto s = db.prepare(select("WHERE status = ? ORDER BY requested, rowid"));
  s.bind_all(model::to_string(status));
  return read_all(s);
}

std::optional<std::int64_t> next_lease_expiry(Connection& db) {
  auto s = db.prepare("SELECT MIN(lease_expires) FROM datasets WHERE lease_expires IS NOT NULL");
  if (s.step()) {
    return s.opt_int64(0);
  }
  return std::nullopt;
}

std::optional<PageRow> find_page(Connection& db, std::string_view dataset_id, int number) {
  auto s = db.prepare(
      "SELECT dataset_id, lease_id, number, sha256, records FROM dataset_pages "
      "WHERE dataset_id = ? AND number = ?");
  s.bind_all(dataset_id, number);
  if (s.step()) {
    return PageRow{s.text(0), s.text(1), static_cast<int>(s.int64(2)), s.text(3), s.int64(4)};
  }
  return std::nullopt;
}

void insert_page(Connection& db, const PageRow& r, std::string_view compressed_body) {
  auto s = db.prepare(
      "INSERT INTO dataset_pages (dataset_id, lease_id, number, sha256, records, body) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind_all(r.dataset_id, r.lease_id, r.number, r.sha256, r.records);
  s.bind_blob(6, compressed_body);
  s.run();
}

std::vector<PageRow> list_pages(Connection& db, std::string_view dataset_id) {
  auto s = db.prepare(
      "SELECT dataset_id, lease_id, number, sha256, records FROM dataset_pages "
      "WHERE dataset_id = ? ORDER BY number");
  s.bind_all(dataset_id);
  std::vector<PageRow> rows;
  while (s.step()) {
    rows.push_back(
        PageRow{s.text(0), s.text(1), static_cast<int>(s.int64(2)), s.text(3), s.int64(4)});
  }
  return rows;
}

void delete_pages(Connection& db, std::string_view dataset_id) {
  db.prepare("DELETE FROM dataset_pages WHERE dataset_id = ?").bind_all(dataset_id).run();
}

void for_each_page(Connection& db, std::string_view dataset_id,
                   const std::function<bool(const PageRow&, std::string_view)>& fn) {
  auto s = db.prepare(
      "SELECT dataset_id, lease_id, number, sha256, records, body FROM dataset_pages "
      "WHERE dataset_id = ? ORDER BY number");
  s.bind_all(dataset_id);
  while (s.step()) {
    PageRow row{s.text(0), s.text(1), static_cast<int>(s.int64(2)), s.text(3), s.int64(4)};
    if (!fn(row, s.blob(5))) {
      break;
    }
  }
}

}  // namespace bookbridge::hub::store
