// The agent's side of the state machine: claim, lease renewal, phase updates, release, fail.
#include <spdlog/spdlog.h>

#include "core/datasets.h"
#include "core/directory.h"
#include "core/lease_check.h"
#include "util/crypto.h"

namespace bookbridge::hub::core {

using model::DatasetStatus;

Result<store::DatasetRow> leased_dataset(Hub& hub, store::Connection& db,
                                         const store::ConnectionRow& conn,
                                         std::string_view dataset_id, std::string_view lease_id) {
  auto row = store::find_dataset(db, dataset_id);
  if (!row || row->connection_id != conn.id) {
    return not_found("No dataset was found with ID " + std::string(dataset_id) +
                     " for this connection");
  }
  if (lease_id.empty()) {
    return bad_request("leaseId is required");
  }
  const bool current =
      row->lease_id && *row->lease_id == lease_id &&
      (model::is_terminal(row->status) || row->status == DatasetStatus::processing ||
       (row->lease_expires && *row->lease_expires > hub.now()));
  if (!current) {
    return conflict("The lease " + std::string(lease_id) + " on dataset " + row->id +
                        " is no longer current (expired, released or claimed again); abandon "
                        "this dataset",
                    error_code::kLeaseLost);
  }
  return *row;
}

namespace {

std::optional<ApiError> check_lease_seconds(const Hub& hub, int lease_seconds) {
  if (lease_seconds < 1 || lease_seconds > hub.config().max_lease_seconds) {
    return bad_request("leaseSeconds must be between 1 and " +
                       std::to_string(hub.config().max_lease_seconds));
  }
  return std::nullopt;
}

bool is_agent_phase(DatasetStatus s) {
  return s == DatasetStatus::fetching || s == DatasetStatus::map_queued ||
         s == DatasetStatus::mapping || s == DatasetStatus::validation_queued ||
         s == DatasetStatus::validating;
}

}  // namespace

Result<std::vector<Claimed>> claim(Hub& hub, const store::ConnectionRow& conn, int max,
                                   int lease_seconds) {
  if (max < 1 || max > 50) {
    return bad_request("max must be between 1 and 50");
  }
  if (auto bad = check_lease_seconds(hub, lease_seconds)) {
    return *bad;
  }
  sweep_expired_leases(hub);  // so expired work is claimable again right now
  std::vector<Claimed> out;
  {
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto fresh = store::find_connection(*db, conn.id);
    if (!fresh || fresh->status != kLinked) {
      return out;  // Deauthorized / Unlinked: nothing is claimable until re-linked
    }
    const auto now = hub.now();
    for (auto row : store::queued_datasets(*db, conn.id)) {
      if (static_cast<int>(out.size()) >= max) {
        break;
      }
      if (row.lease_id && row.lease_expires) {
        continue;  // leased by someone (not expired: the sweep ran just now)
      }
      row.lease_id = new_uuid();
      row.lease_expires = now + std::int64_t{lease_seconds} * 1000;
      ++row.claims;
      store::delete_pages(*db, row.id);  // pages of an earlier lease are void
      store::update_dataset(*db, row);
      out.push_back(Claimed{row, row.expired_leases + 1});
    }
    txn.commit();
  }
  if (!out.empty()) {
    hub.schedule_changed();
  }
  return out;
}

Result<store::DatasetRow> renew_lease(Hub& hub, const store::ConnectionRow& conn,
                                      std::string_view dataset_id, std::string_view lease_id,
                                      int lease_seconds) {
  if (auto bad = check_lease_seconds(hub, lease_seconds)) {
    return *bad;
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
  if (!row) {
    return row;
  }
  if (model::is_terminal(row->status) || row->status == DatasetStatus::processing) {
    return row;  // nothing left to hold
  }
  row->lease_expires = hub.now() + std::int64_t{lease_seconds} * 1000;
  store::update_dataset(*db, *row);
  txn.commit();
  hub.schedule_changed();
  return row;
}

Result<store::DatasetRow> agent_status(Hub& hub, const store::ConnectionRow& conn,
                                       std::string_view dataset_id, std::string_view lease_id,
                                       std::string_view status, std::optional<int> progress,
                                       std::optional<std::string> description) {
  const auto to = model::dataset_status_from_string(status);
  if (!to) {
    return bad_request("Unknown dataset status '" + std::string(status) + "'");
  }
  if (model::is_error(*to) || *to == DatasetStatus::not_supported) {
    return bad_request("Report " + std::string(status) + " with POST .../fail");
  }
  if (progress && (*progress < 0 || *progress > 100)) {
    return bad_request("progress must be between 0 and 100");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
  if (!row) {
    return row;
  }
  if (*to != row->status) {
    if (!is_agent_phase(*to)) {
      return conflict("Cannot move dataset " + row->id + " from " +
                          std::string(model::to_string(row->status)) + " to " +
                          std::string(status) +
                          ": the agent reports only Fetching, Mapping and "
                          "Validating (release with .../release, finish with .../commit)",
                      error_code::kIllegalTransition);
    }
    if (auto moved = transition(*row, *to, model::Actor::agent, hub.now()); !moved) {
      return moved.error();
    }
    row->status_description.reset();
  } else if (model::is_terminal(row->status)) {
    return conflict(
        "Dataset " + row->id + " is already " + std::string(model::to_string(row->status)),
        error_code::kIllegalTransition);
  }
  if (progress) {
    row->progress = *progress;
  }
  if (description) {
    row->status_description = std::move(*description);
  }
  store::update_dataset(*db, *row);
  txn.commit();
  return row;
}

Result<store::DatasetRow> release(Hub& hub, const store::ConnectionRow& conn,
                                  std::string_view dataset_id, std::string_view lease_id) {
  store::DatasetRow result;
  {
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
    if (!row) {
      return row;
    }
    if (row->status != DatasetStatus::queued) {
      if (auto moved = transition(*row, DatasetStatus::queued, model::Actor::agent, hub.now());
          !moved) {
        return moved.error();
      }
    }
    row->progress = 0;
    row->status_description.reset();
    row->lease_id.reset();
    row->lease_expires.reset();
    store::delete_pages(*db, row->id);
    store::update_dataset(*db, *row);
    txn.commit();
    result = *row;
  }
  hub.wake(conn.id);
  return result;
}

Result<store::DatasetRow> fail(Hub& hub, const store::ConnectionRow& conn,
                               std::string_view dataset_id, std::string_view lease_id,
                               std::string_view status, std::string error_message,
                               std::optional<nlohmann::json> validation) {
  const auto to = model::dataset_status_from_string(status);
  if (!to || !(model::is_error(*to) || *to == DatasetStatus::not_supported)) {
    return bad_request(
        "status must be an error state (FetchError, MapError, ValidationError, "
        "InternalError, AuthError, ...) or NotSupported");
  }
  if (validation && !validation->is_object()) {
    return bad_request("validation must be an object {errors: [...], warnings: [...]}");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = leased_dataset(hub, *db, conn, dataset_id, lease_id);
  if (!row) {
    return row;
  }
  if (row->status == *to) {
    return row;  // a retried fail under the same lease
  }
  if (auto moved = transition(*row, *to, model::Actor::agent, hub.now()); !moved) {
    return moved.error();
  }
  row->error_message = error_message.empty() ? std::nullopt : std::optional(error_message);
  row->status_description.reset();
  if (validation) {
    row->validation = validation->dump();
  }
  store::delete_pages(*db, row->id);
  store::update_dataset(*db, *row);
  bool deauthorized = false;
  if (*to == DatasetStatus::auth_error) {
    auto fresh = store::find_connection(*db, conn.id);
    if (fresh && fresh->status == kLinked) {
      fresh->status = std::string(kDeauthorized);
      rotate_link_token(hub, *fresh);  // the re-link needs a fresh linkUrl
      store::update_connection(*db, *fresh);
      deauthorized = true;
    }
  }
  txn.commit();
  spdlog::info("dataset {} ({}): {} ({})", row->id, model::to_key(row->data_type), status,
               error_message);
  if (deauthorized) {
    spdlog::warn("connection {} is Deauthorized after an AuthError; it needs a new link", conn.id);
  }
  return row;
}

}  // namespace bookbridge::hub::core
