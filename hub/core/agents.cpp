#include "core/agents.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "core/datasets.h"
#include "core/directory.h"
#include "util/crypto.h"

namespace bookbridge::hub::core {
namespace {

constexpr std::size_t kMaxInfoLength = 200;

// Optional agent self-description; over-long or non-string values are dropped.
std::optional<std::string> info_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() ||
      it->get_ref<const std::string&>().size() > kMaxInfoLength) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

ApiError bad_token() {
  return unauthorized(
      "The link token is not valid: it was already used, has expired or was replaced. Get the "
      "connection's current linkUrl from GET /companies/{companyId}/connections/{connectionId}");
}

}  // namespace

Result<LinkResult> link_agent(Hub& hub, const nlohmann::json& body) {
  const auto id = body.find("connectionId");
  const auto token = body.find("token");
  if (id == body.end() || !id->is_string() || token == body.end() || !token->is_string()) {
    return bad_request("connectionId and token (strings, from the linkUrl) are required");
  }
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto conn = store::find_connection(*db, id->get<std::string>());
  if (!conn) {
    return bad_token();
  }
  const auto expected = link_token(hub, *conn);
  const auto& given = token->get_ref<const std::string&>();
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0 ||
      hub.now() - conn->link_issued >= hub.config().link_token_ttl_ms) {
    return bad_token();
  }
  if (auto key = info_field(body, "platformKey"); key && *key != conn->platform_key) {
    return conflict("Connection " + conn->id + " is for platform " + conn->platform_key +
                        ", but the agent's source uses the " + *key + " reader",
                    error_code::kPlatformMismatch);
  }
  auto company = store::find_company(*db, conn->company_id);
  if (!company) {
    return bad_token();
  }
  const bool had_credential = conn->credential_hash.has_value();
  LinkResult result;
  result.credential = "bbk_" + base64url_encode(random_bytes(32));
  conn->credential_hash = sha256_hex(result.credential);
  conn->status = std::string(kLinked);
  rotate_link_token(hub, *conn);  // the token is single-use
  conn->hostname = info_field(body, "hostname");
  conn->agent_version = info_field(body, "agentVersion");
  conn->source_name = info_field(body, "sourceName");
  conn->last_seen = hub.now();
  if (!conn->linked_once) {
    conn->linked_once = true;
    result.queued = queue_fetch_on_first_link(hub, *db, *conn);
  }
  store::update_connection(*db, *conn);
  txn.commit();
  if (had_credential) {
    hub.disconnect(conn->id);  // sessions of the replaced credential
  }
  // Linking is a one-shot command, not a running agent: presence starts when the agent's
  // WebSocket or long-poll does, so datasets queued now say they wait for it.
  hub.wake(conn->id);
  spdlog::info("connection {} linked (host {}, {} datasets queued on first link)", conn->id,
               conn->hostname.value_or("?"), result.queued);
  result.connection = *conn;
  result.company = *company;
  return result;
}

Result<store::ConnectionRow> authenticate_agent(Hub& hub, std::string_view authorization) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.size() <= kPrefix.size() ||
      authorization.substr(0, kPrefix.size()) != kPrefix) {
    return unauthorized("An agent credential is required: Authorization: Bearer bbk_...");
  }
  const auto hash = sha256_hex(authorization.substr(kPrefix.size()));
  auto db = hub.db().acquire();
  auto conn = store::find_connection_by_credential(*db, hash);
  if (!conn) {
    return unauthorized(
        "The agent credential is not valid (revoked, or replaced by a newer link); run "
        "`bookbridge-agent link` with the connection's linkUrl");
  }
  const auto now = hub.now();
  hub.presence().seen(conn->id, now);
  if (!conn->last_seen || now - *conn->last_seen > 10'000) {  // bounded write rate
    store::touch_connection(*db, conn->id, now);
    conn->last_seen = now;
  }
  return *conn;
}

Result<void> revoke_agent(Hub& hub, const store::ConnectionRow& connection) {
  {
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto conn = store::find_connection(*db, connection.id);
    if (conn) {
      unlink_in_txn(hub, *db, *conn, "the agent unlinked the connection");
    }
    txn.commit();
  }
  hub.disconnect(connection.id);
  hub.presence().forget(connection.id);
  return {};
}

void record_agent_hello(Hub& hub, const std::string& connection_id, const nlohmann::json& hello) {
  auto db = hub.db().acquire();
  store::Transaction txn(*db);
  auto conn = store::find_connection(*db, connection_id);
  if (!conn) {
    return;
  }
  if (auto v = info_field(hello, "hostname")) {
    conn->hostname = v;
  }
  if (auto v = info_field(hello, "agentVersion")) {
    conn->agent_version = v;
  }
  if (auto v = info_field(hello, "sourceName")) {
    conn->source_name = v;
  }
  conn->last_seen = hub.now();
  store::update_connection(*db, *conn);
  txn.commit();
}

}  // namespace bookbridge::hub::core
