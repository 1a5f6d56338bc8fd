// Queueing, cancelling and the hub's own moves (lease expiry, schedules, crash recovery).
#include "core/datasets.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/directory.h"
#include "core/processing.h"
#include "core/settings.h"
#include "util/crypto.h"
#include "util/time_format.h"

namespace bookbridge::hub::core {

using model::DatasetStatus;

Result<void> transition(store::DatasetRow& row, DatasetStatus to, model::Actor actor,
                        std::int64_t now) {
  if (!model::can_transition(row.status, to, actor)) {
    return conflict("Cannot move dataset " + row.id + " from " +
                        std::string(model::to_string(row.status)) + " to " +
                        std::string(model::to_string(to)),
                    error_code::kIllegalTransition);
  }
  // One line per transition: operators (and the demo) follow datasets through the hub's log.
  spdlog::info("dataset {} {}: {} -> {}", row.id, model::to_key(row.data_type),
               model::to_string(row.status), model::to_string(to));
  row.status = to;
  row.progress = model::default_progress(to);
  if (model::is_terminal(to)) {
    row.completed = now;
    row.lease_expires.reset();  // keep lease_id: a retried commit/fail under it is answered again
  }
  return {};
}

namespace {

store::DatasetRow new_dataset(Hub& hub, const store::ConnectionRow& conn, model::DataType type) {
  store::DatasetRow row;
  row.id = new_uuid();
  row.company_id = conn.company_id;
  row.connection_id = conn.id;
  row.data_type = type;
  row.status = DatasetStatus::queued;
  row.progress = 0;
  row.requested = hub.now();
  return row;
}

// The connection a company's datasets go to when the client names none: the newest one that
// is not Unlinked.
std::optional<store::ConnectionRow> default_connection(store::Connection& db,
                                                       std::string_view company_id) {
  auto rows = store::list_connections(db, company_id);
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (it->status != kUnlinked) {
      return *it;
    }
  }
  return std::nullopt;
}

ApiError no_connection(std::string_view company_id) {
  return bad_request("Company " + std::string(company_id) +
                     " has no active data connection; create one with POST /companies/" +
                     std::string(company_id) + "/connections and link an agent with its linkUrl");
}

}  // namespace

Result<store::DatasetRow> queue_dataset(Hub& hub, std::string_view company_id,
                                        std::string_view data_type_key,
                                        std::optional<std::string> connection_id) {
  const auto type = model::data_type_from_key(data_type_key);
  if (!type) {
    return bad_request("Unknown data type '" + std::string(data_type_key) +
                       "'; supported: company, chartOfAccounts, customers, suppliers, invoices, "
                       "bills, payments, billPayments, journalEntries, creditNotes, items, "
                       "taxRates, balanceSheet, profitAndLoss");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto company = require_company(*db, company_id);
  if (!company) {
    return company.error();
  }
  std::optional<store::ConnectionRow> conn;
  if (connection_id) {
    auto found = require_connection(*db, company_id, *connection_id);
    if (!found) {
      return found.error();
    }
    if (found->status == kUnlinked) {
      return bad_request("Connection " + *connection_id +
                         " is Unlinked; create a new connection to sync again");
    }
    conn = *found;
  } else {
    conn = default_connection(*db, company_id);
    if (!conn) {
      return no_connection(company_id);
    }
  }
  if (auto running = store::find_in_progress(*db, company_id, *type)) {
    return bad_request("DatasetAlreadyInProgressException: Cannot queue " +
                           std::string(data_type_key) + " sync for " + std::string(company_id) +
                           " as previous sync " + running->id + " is still in progress",
                       error_code::kDatasetAlreadyInProgress);
  }
  auto row = new_dataset(hub, *conn, *type);
  store::insert_dataset(*db, row);
  txn.commit();
  hub.wake(conn->id);
  return row;
}

int queue_fetch_on_first_link(Hub& hub, store::Connection& db, const store::ConnectionRow& conn) {
  int queued = 0;
  for (const auto& setting : effective_settings(db, conn.company_id)) {
    if (!setting.fetch_on_first_link ||
        store::find_in_progress(db, conn.company_id, setting.data_type)) {
      continue;
    }
    store::insert_dataset(db, new_dataset(hub, conn, setting.data_type));
    ++queued;
  }
  return queued;
}

Result<void> queue_all(Hub& hub, std::string_view company_id) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto company = require_company(*db, company_id);
  if (!company) {
    return company.error();
  }
  auto conn = default_connection(*db, company_id);
  if (!conn) {
    return no_connection(company_id);
  }
  queue_fetch_on_first_link(hub, *db, *conn);
  txn.commit();
  hub.wake(conn->id);
  return {};
}

void cancel_unfinished(Hub& hub, store::Connection& db, std::string_view connection_id,
                       std::string_view reason) {
  for (auto row : store::unfinished_datasets(db, connection_id)) {
    if (transition(row, DatasetStatus::cancelled, model::Actor::hub, hub.now())) {
      row.status_description = "Cancelled: " + std::string(reason);
      store::delete_pages(db, row.id);
      store::update_dataset(db, row);
    }
  }
}

int sweep_expired_leases(Hub& hub) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  const auto now = hub.now();
  std::vector<std::string> woken;
  int changed = 0;
  for (auto row : store::expired_leases(*db, now)) {
    if (row.status == DatasetStatus::processing || model::is_terminal(row.status)) {
      row.lease_expires.reset();
      store::update_dataset(*db, row);
      continue;
    }
    ++row.expired_leases;
    store::delete_pages(*db, row.id);
    if (row.expired_leases >= hub.config().max_lease_expiries) {
      auto conn = store::find_connection(*db, row.connection_id);
      const auto seen = conn && conn->last_seen ? format_iso(*conn->last_seen) : "never";
      if (transition(row, DatasetStatus::internal_error, model::Actor::hub, now)) {
        row.error_message = "the connector lost its lease " + std::to_string(row.expired_leases) +
                            " times; last seen " + seen;
      }
    } else {
      if (row.status != DatasetStatus::queued &&
          !transition(row, DatasetStatus::queued, model::Actor::hub, now)) {
        continue;
      }
      row.progress = 0;
      row.status_description.reset();
      row.lease_id.reset();
      row.lease_expires.reset();
      woken.push_back(row.connection_id);
    }
    store::update_dataset(*db, row);
    ++changed;
    spdlog::info("dataset {} ({}): lease expired ({} of {}), now {}", row.id,
                 model::to_key(row.data_type), row.expired_leases, hub.config().max_lease_expiries,
                 model::to_string(row.status));
  }
  txn.commit();
  for (const auto& id : woken) {
    hub.wake(id);
  }
  return changed;
}

std::optional<std::int64_t> queue_scheduled(Hub& hub, int* queued_count) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  const auto now = hub.now();
  std::optional<std::int64_t> next_due;
  std::vector<std::string> woken;
  int queued = 0;
  for (const auto& company : store::list_companies(*db)) {
    std::optional<store::ConnectionRow> linked;
    for (const auto& conn : store::list_connections(*db, company.id)) {
      if (conn.status == kLinked) {
        linked = conn;
      }
    }
    if (!linked) {
      continue;
    }
    for (const auto& setting : effective_settings(*db, company.id)) {
      if (setting.sync_schedule <= 0) {
        continue;
      }
      auto last = store::latest_dataset(*db, company.id, setting.data_type, false);
      if (!last || !model::is_terminal(last->status)) {
        continue;  // never requested (fetchOnFirstLink off), or one is still running
      }
      const auto due = last->requested + std::int64_t{setting.sync_schedule} * 3600 * 1000;
      if (due > now) {
        next_due = next_due ? std::min(*next_due, due) : due;
        continue;
      }
      store::insert_dataset(*db, new_dataset(hub, *linked, setting.data_type));
      woken.push_back(linked->id);
      ++queued;
    }
  }
  txn.commit();
  for (const auto& id : woken) {
    hub.wake(id);
  }
  if (queued_count != nullptr) {
    *queued_count = queued;
  }
  return next_due;
}

int recover_processing(Hub& hub) {
  std::vector<store::DatasetRow> rows;
  {
    auto db = hub.db().acquire();
    rows = store::datasets_in_status(*db, DatasetStatus::processing);
  }
  for (const auto& row : rows) {
    spdlog::info("dataset {}: storing its records again after a restart", row.id);
    finish_processing(hub, row.id);
  }
  return static_cast<int>(rows.size());
}

}  // namespace bookbridge::hub::core
