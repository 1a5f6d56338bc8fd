#pragma once

// The agent gateway (docs/protocol.md): /agent/v1/... routes and the WebSocket hooks.

#include "api/router.h"
#include "core/hub.h"
#include "transport/https_server.h"

namespace bookbridge::hub::gateway {

inline constexpr std::string_view kPrefix = "/agent/v1";
inline constexpr std::string_view kWebSocketPath = "/agent/v1/ws";
inline constexpr int kMaxPollSeconds = 55;

void add_gateway_routes(api::Router& router, core::Hub& hub);

/// Authorizes upgrades with the Bearer credential (session key = connection id), tracks
/// presence and handles the agent's hello.
transport::WebSocketHooks websocket_hooks(core::Hub& hub);

}  // namespace bookbridge::hub::gateway
