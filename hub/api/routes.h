#pragma once

// The client API (Codat-compatible) route tables.

#include <string>

#include "api/router.h"
#include "core/hub.h"

namespace bookbridge::hub::api {

/// Companies, connections, integrations.
void add_company_routes(Router& router, core::Hub& hub);
/// Queueing, history, validation, dataStatus, sync settings.
void add_dataset_routes(Router& router, core::Hub& hub);
/// Synced data: /data/info, the lists, /data/financials/*.
void add_data_routes(Router& router, core::Hub& hub);

/// Guard for `Authorization: Basic base64(apiKey)`, comparing SHA-256 hashes only.
Guard basic_auth_guard(std::string api_key_sha256_hex);

}  // namespace bookbridge::hub::api
