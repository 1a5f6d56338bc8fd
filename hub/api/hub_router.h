#pragma once

#include <memory>
#include <string>

#include "api/router.h"
#include "core/hub.h"

namespace bookbridge::hub::api {

/// Every route of the hub: the client API (guarded by the API key whose SHA-256 is given) and
/// the agent gateway.
std::unique_ptr<Router> make_hub_router(core::Hub& hub, std::string api_key_sha256_hex);

}  // namespace bookbridge::hub::api
