#pragma once

// Agent identity: linking with a one-time token, Bearer credentials, revocation.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/hub.h"
#include "store/repositories.h"
#include "util/result.h"

namespace bookbridge::hub::core {

struct LinkResult {
  std::string credential;  ///< "bbk_" + base64url(32 random bytes); shown once, stored hashed
  store::ConnectionRow connection;
  store::CompanyRow company;
  int queued = 0;  ///< fetchOnFirstLink datasets queued by a first link
};

/// POST /agent/v1/link {connectionId, token, hostname?, agentVersion?, sourceName?,
/// platformKey?}. 401 for a wrong, used or expired token; 409 for another platform.
Result<LinkResult> link_agent(Hub& hub, const nlohmann::json& body);

/// Checks `Authorization: Bearer bbk_...`; 401 when missing, unknown or revoked.
Result<store::ConnectionRow> authenticate_agent(Hub& hub, std::string_view authorization);

/// DELETE /agent/v1/link: the connection becomes Unlinked.
Result<void> revoke_agent(Hub& hub, const store::ConnectionRow& connection);

/// WebSocket hello: remembers what the agent says about itself.
void record_agent_hello(Hub& hub, const std::string& connection_id, const nlohmann::json& hello);

}  // namespace bookbridge::hub::core
