#include "core/directory.h"

#include "core/datasets.h"
#include "core/integrations.h"
#include "util/crypto.h"

namespace bookbridge::hub::core {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxDescriptionLength = 2000;

ApiError invalid(const std::string& item, const std::string& message, std::string validator) {
  ApiError error = bad_request(validator + "Exception: " + message);
  error.validation = nlohmann::json{
      {"errors", nlohmann::json::array(
                     {{{"itemId", item}, {"message", message}, {"validatorName", validator}}})},
      {"warnings", nlohmann::json::array()}};
  return error;
}

}  // namespace

Result<store::CompanyRow> create_company(Hub& hub, const nlohmann::json& body) {
  const auto name = body.find("name");
  if (name == body.end() || !name->is_string() ||
      name->get_ref<const std::string&>().find_first_not_of(" \t") == std::string::npos) {
    return invalid("name", "name is required and must be a non-empty string", "CompanyValidation");
  }
  if (name->get_ref<const std::string&>().size() > kMaxNameLength) {
    return invalid("name", "name must be at most 200 characters", "CompanyValidation");
  }
  store::CompanyRow row{new_uuid(), name->get<std::string>(), std::nullopt, hub.now()};
  if (auto d = body.find("description"); d != body.end() && !d->is_null()) {
    if (!d->is_string() || d->get_ref<const std::string&>().size() > kMaxDescriptionLength) {
      return invalid("description", "description must be a string of at most 2000 characters",
                     "CompanyValidation");
    }
    row.description = d->get<std::string>();
  }
  auto db = hub.db().acquire();
  store::insert_company(*db, row);
  return row;
}

Result<store::CompanyRow> require_company(store::Connection& db, std::string_view company_id) {
  if (auto row = store::find_company(db, company_id)) {
    return *row;
  }
  return not_found("No company was found with ID " + std::string(company_id));
}

Result<void> delete_company(Hub& hub, std::string_view company_id) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto connections = store::list_connections(*db, company_id);
  if (!store::delete_company(*db, company_id)) {
    return not_found("No company was found with ID " + std::string(company_id));
  }
  txn.commit();
  for (const auto& c : connections) {
    hub.disconnect(c.id);
    hub.presence().forget(c.id);
  }
  return {};
}

Result<store::ConnectionRow> create_connection(Hub& hub, std::string_view company_id,
                                               const nlohmann::json& body) {
  const auto key = body.find("platformKey");
  if (key == body.end() || !key->is_string()) {
    return invalid("platformKey",
                   "platformKey is required (e.g. \"gnucash\"; see GET /integrations)",
                   "ConnectionValidation");
  }
  if (!find_integration(key->get<std::string>())) {
    return invalid("platformKey",
                   "unknown platformKey \"" + key->get<std::string>() +
                       "\"; GET /integrations lists the supported ones",
                   "ConnectionValidation");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto company = require_company(*db, company_id);
  if (!company) {
    return company.error();
  }
  store::ConnectionRow row;
  row.id = new_uuid();
  row.company_id = std::string(company_id);
  row.platform_key = key->get<std::string>();
  row.status = std::string(kPendingAuth);
  row.created = hub.now();
  row.link_issued = row.created;
  store::insert_connection(*db, row);
  txn.commit();
  return row;
}

Result<store::ConnectionRow> require_connection(store::Connection& db, std::string_view company_id,
                                                std::string_view connection_id) {
  auto company = require_company(db, company_id);
  if (!company) {
    return company.error();
  }
  auto row = store::find_connection(db, connection_id);
  if (!row || row->company_id != company_id) {
    return not_found("No connection was found with ID " + std::string(connection_id) +
                     " for company " + std::string(company_id));
  }
  return *row;
}

Result<void> delete_connection(Hub& hub, std::string_view company_id,
                               std::string_view connection_id) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = require_connection(*db, company_id, connection_id);
  if (!row) {
    return row.error();
  }
  store::delete_connection(*db, connection_id);
  txn.commit();
  hub.disconnect(std::string(connection_id));
  hub.presence().forget(std::string(connection_id));
  return {};
}

void unlink_in_txn(Hub& hub, store::Connection& db, store::ConnectionRow& connection,
                   std::string_view reason) {
  connection.status = std::string(kUnlinked);
  connection.credential_hash.reset();
  rotate_link_token(hub, connection);
  store::update_connection(db, connection);
  cancel_unfinished(hub, db, connection.id, reason);
}

Result<store::ConnectionRow> patch_connection(Hub& hub, std::string_view company_id,
                                              std::string_view connection_id,
                                              const nlohmann::json& body) {
  const auto status = body.find("status");
  if (status == body.end() || !status->is_string() || status->get<std::string>() != kUnlinked) {
    return invalid("status", "the only status a client may set is \"Unlinked\"",
                   "ConnectionValidation");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto row = require_connection(*db, company_id, connection_id);
  if (!row) {
    return row.error();
  }
  if (row->status != kUnlinked) {
    unlink_in_txn(hub, *db, *row, "the connection was unlinked by the client");
  }
  txn.commit();
  hub.disconnect(row->id);
  return row;
}

std::string link_token(const Hub& hub, const store::ConnectionRow& connection) {
  const std::string material = connection.id + ":" + std::to_string(connection.link_generation) +
                               ":" + std::to_string(connection.link_issued);
  return base64url_encode(hmac_sha256(hub.config().link_secret, material));
}

std::string link_url(const Hub& hub, const store::ConnectionRow& connection) {
  return hub.public_url() + "/agent/v1/link?connectionId=" + connection.id +
         "&token=" + link_token(hub, connection);
}

void rotate_link_token(Hub& hub, store::ConnectionRow& connection) {
  ++connection.link_generation;
  connection.link_issued = hub.now();
}

void refresh_expired_link_token(Hub& hub, store::Connection& db, store::ConnectionRow& connection) {
  if (hub.now() - connection.link_issued < hub.config().link_token_ttl_ms) {
    return;
  }
  store::Transaction txn(db);
  auto fresh = store::find_connection(db, connection.id);
  if (fresh && hub.now() - fresh->link_issued >= hub.config().link_token_ttl_ms) {
    rotate_link_token(hub, *fresh);
    store::update_connection(db, *fresh);
  }
  txn.commit();
  if (fresh) {
    connection = *fresh;
  }
}

}  // namespace bookbridge::hub::core
