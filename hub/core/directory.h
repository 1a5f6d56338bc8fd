#pragma once

// Companies and their data connections (client API side), and the one-time link tokens.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/hub.h"
#include "store/repositories.h"
#include "util/result.h"

namespace bookbridge::hub::core {

inline constexpr std::string_view kPendingAuth = "PendingAuth";
inline constexpr std::string_view kLinked = "Linked";
inline constexpr std::string_view kUnlinked = "Unlinked";
inline constexpr std::string_view kDeauthorized = "Deauthorized";

/// POST /companies {name, description?}.
Result<store::CompanyRow> create_company(Hub& hub, const nlohmann::json& body);
/// 404 "No company was found with ID ..." when missing.
Result<store::CompanyRow> require_company(store::Connection& db, std::string_view company_id);
Result<void> delete_company(Hub& hub, std::string_view company_id);

/// POST /companies/{id}/connections {platformKey}: PendingAuth with a fresh linkUrl.
Result<store::ConnectionRow> create_connection(Hub& hub, std::string_view company_id,
                                               const nlohmann::json& body);
Result<store::ConnectionRow> require_connection(store::Connection& db, std::string_view company_id,
                                                std::string_view connection_id);
Result<void> delete_connection(Hub& hub, std::string_view company_id,
                               std::string_view connection_id);
/// PATCH {status: "Unlinked"}: revokes the agent credential and cancels unfinished datasets.
Result<store::ConnectionRow> patch_connection(Hub& hub, std::string_view company_id,
                                              std::string_view connection_id,
                                              const nlohmann::json& body);

/// Moves a connection to Unlinked inside the caller's transaction (credential revoked, a new
/// link token generation, unfinished datasets Cancelled).
void unlink_in_txn(Hub& hub, store::Connection& db, store::ConnectionRow& connection,
                   std::string_view reason);

/// The current one-time token: HMAC(link secret, id:generation:issued), so the database holds
/// no usable token and the linkUrl can still be shown on every GET.
std::string link_token(const Hub& hub, const store::ConnectionRow& connection);
std::string link_url(const Hub& hub, const store::ConnectionRow& connection);
/// Issues a new token generation when the current one is older than the token lifetime.
void refresh_expired_link_token(Hub& hub, store::Connection& db, store::ConnectionRow& connection);
/// Starts a new token generation (the previous token stops working).
void rotate_link_token(Hub& hub, store::ConnectionRow& connection);

}  // namespace bookbridge::hub::core
