#include "gateway/gateway.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/agents.h"
#include "core/datasets.h"
#include "core/views.h"
#include "util/json_body.h"
#include "util/time_format.h"

namespace bookbridge::hub::gateway {
namespace {

using api::Context;
using api::Json;
using api::json_response;
using transport::HttpRequest;
using transport::HttpResponse;

constexpr std::string_view kService = "AgentGateway";

Result<store::ConnectionRow> agent(core::Hub& hub, const Context& ctx) {
  return core::authenticate_agent(hub, ctx.request.header("Authorization").value_or(""));
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// Optional integer member; `bad` set when present but not an integer.
std::optional<std::int64_t> int_member(const nlohmann::json& body, const char* name, bool* bad) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    *bad = true;
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::string string_member(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

HttpResponse dataset_reply(core::Hub& hub, const store::DatasetRow& row) {
  auto db = hub.db().acquire();
  core::ConnectionCache cache(*db);
  return json_response(200, core::dataset_json(hub, cache, row));
}

bool has_claimable(core::Hub& hub, const store::ConnectionRow& conn) {
  auto db = hub.db().acquire();
  auto fresh = store::find_connection(*db, conn.id);
  if (!fresh || fresh->status != "Linked") {
    return false;
  }
  const auto now = hub.now();
  for (const auto& row : store::queued_datasets(*db, conn.id)) {
    if (!row.lease_expires || *row.lease_expires <= now) {
      return true;
    }
  }
  return false;
}

// Runs `fn(ctx, conn, body)` for an authenticated call with a JSON object body.
template <class Fn>
api::RouteHandler with_body(core::Hub& hub, Fn fn) {
  return [&hub, fn](Context& ctx) -> HttpResponse {
    auto conn = agent(hub, ctx);
    if (!conn) {
      return ctx.error(conn.error());
    }
    auto body = ctx.request.body.empty() ? Result<nlohmann::json>(boost::system::in_place_value,
                                                                  nlohmann::json::object())
                                         : parse_json_object(ctx.request.body);
    if (!body) {
      return ctx.error(body.error());
    }
    return fn(ctx, *conn, *body);
  };
}

void add_link_routes(api::Router& router, core::Hub& hub) {
  const std::string prefix(kPrefix);
  router.add("POST", prefix + "/link", std::string(kService), false, [&](Context& ctx) {
    auto body = api::object_body(ctx);
    if (!body) {
      return ctx.error(body.error());
    }
    auto linked = core::link_agent(hub, *body);
    if (!linked) {
      return ctx.error(linked.error());
    }
    Json out;
    out["credential"] = linked->credential;
    out["connectionId"] = linked->connection.id;
    out["companyId"] = linked->company.id;
    out["companyName"] = linked->company.name;
    out["platformKey"] = linked->connection.platform_key;
    return json_response(200, out);
  });
  router.add("GET", prefix + "/link", std::string(kService), false, [&](Context& ctx) {
    HttpResponse response;
    response.headers["Content-Type"] = "text/plain; charset=utf-8";
    response.body =
        "This is a Bookbridge link URL. It connects a Bookbridge agent to a company's data "
        "connection.\n\nOn the computer that holds the books, run:\n\n  bookbridge-agent link '" +
        hub.public_url() + ctx.request.target +
        "' --source NAME\n\nwhere NAME is the source in the agent's configuration. The link can "
        "be used once.\n";
    return response;
  });
  router.add("DELETE", prefix + "/link", std::string(kService), false, [&](Context& ctx) {
    auto conn = agent(hub, ctx);
    if (!conn) {
      return ctx.error(conn.error());
    }
    core::revoke_agent(hub, *conn);
    return HttpResponse{204, {}, {}, std::nullopt};
  });
  router.add("GET", prefix + "/ws", std::string(kService), false, [&](Context& ctx) {
    return ctx.error(
        bad_request("This endpoint needs a WebSocket upgrade (Upgrade: websocket); "
                    "use GET /agent/v1/poll where upgrades are blocked"));
  });
  router.add("GET", prefix + "/poll", std::string(kService), false, [&](Context& ctx) {
    auto conn = agent(hub, ctx);
    if (!conn) {
      return ctx.error(conn.error());
    }
    std::int64_t wait = 25;
    if (auto text = ctx.request.query_param("wait")) {
      auto value = to_int(*text);
      if (!value || *value < 0 || *value > kMaxPollSeconds) {
        return ctx.error(bad_request("wait must be a whole number of seconds from 0 to 55"));
      }
      wait = *value;
    }
    if (has_claimable(hub, *conn)) {
      return json_response(200, Json{{"work", true}});
    }
    if (ctx.request.wait_timed_out || wait == 0) {
      return json_response(200, Json{{"work", false}});
    }
    HttpResponse parked;
    parked.wait = transport::Wait{conn->id, std::chrono::seconds(wait)};
    return parked;
  });
}

void add_dataset_routes(api::Router& router, core::Hub& hub) {
  const std::string base = std::string(kPrefix) + "/datasets";
  const std::string service(kService);
  router.add(
      "POST", base + "/claim", service, false,
      with_body(
          hub, [&](Context& ctx, const store::ConnectionRow& conn, const nlohmann::json& body) {
            bool bad = false;
            auto max = int_member(body, "max", &bad).value_or(1);
            auto lease = int_member(body, "leaseSeconds", &bad).value_or(60);
            if (bad || max > 1000 || lease > 1'000'000) {
              return ctx.error(bad_request("max and leaseSeconds must be whole numbers"));
            }
            auto claimed = core::claim(hub, conn, static_cast<int>(max), static_cast<int>(lease));
            if (!claimed) {
              return ctx.error(claimed.error());
            }
            Json list = Json::array();
            for (const auto& c : *claimed) {
              Json item;
              item["id"] = c.dataset.id;
              item["companyId"] = c.dataset.company_id;
              item["connectionId"] = c.dataset.connection_id;
              item["dataType"] = model::to_key(c.dataset.data_type);
              item["leaseId"] = *c.dataset.lease_id;
              item["leaseExpires"] = format_iso(*c.dataset.lease_expires);
              item["attempt"] = c.attempt;
              list.push_back(item);
            }
            return json_response(200, Json{{"datasets", list}});
          }));
  router.add(
      "POST", base + "/{datasetId}/lease", service, false,
      with_body(
          hub, [&](Context& ctx, const store::ConnectionRow& conn, const nlohmann::json& body) {
            bool bad = false;
            auto lease = int_member(body, "leaseSeconds", &bad).value_or(60);
            if (bad || lease > 1'000'000) {
              return ctx.error(bad_request("leaseSeconds must be a whole number"));
            }
            auto row = core::renew_lease(hub, conn, ctx.param("datasetId"),
                                         string_member(body, "leaseId"), static_cast<int>(lease));
            if (!row) {
              return ctx.error(row.error());
            }
            Json out;
            out["leaseExpires"] =
                row->lease_expires ? Json(format_iso(*row->lease_expires)) : Json(nullptr);
            out["status"] = model::to_string(row->status);
            return json_response(200, out);
          }));
  router.add(
      "POST", base + "/{datasetId}/status", service, false,
      with_body(hub, [&](Context& ctx, const store::ConnectionRow& conn,
                         const nlohmann::json& body) {
        bool bad = false;
        auto progress = int_member(body, "progress", &bad);
        auto status = string_member(body, "status");
        if (bad || status.empty()) {
          return ctx.error(bad_request("status (string) is required; progress must be an integer"));
        }
        std::optional<std::string> description;
        if (body.contains("statusDescription") && body["statusDescription"].is_string()) {
          description = body["statusDescription"].get<std::string>().substr(0, 1000);
        }
        auto row = core::agent_status(
            hub, conn, ctx.param("datasetId"), string_member(body, "leaseId"), status,
            progress
                ? std::optional<int>(static_cast<int>(std::clamp<std::int64_t>(*progress, -1, 101)))
                : std::nullopt,
            description);
        return row ? dataset_reply(hub, *row) : ctx.error(row.error());
      }));
  router.add("POST", base + "/{datasetId}/release", service, false,
             with_body(hub, [&](Context& ctx, const store::ConnectionRow& conn,
                                const nlohmann::json& body) {
               auto row =
                   core::release(hub, conn, ctx.param("datasetId"), string_member(body, "leaseId"));
               return row ? dataset_reply(hub, *row) : ctx.error(row.error());
             }));
  router.add(
      "POST", base + "/{datasetId}/fail", service, false,
      with_body(
          hub, [&](Context& ctx, const store::ConnectionRow& conn, const nlohmann::json& body) {
            std::optional<nlohmann::json> validation;
            if (body.contains("validation") && !body["validation"].is_null()) {
              validation = body["validation"];
            }
            auto row = core::fail(hub, conn, ctx.param("datasetId"), string_member(body, "leaseId"),
                                  string_member(body, "status"),
                                  string_member(body, "errorMessage").substr(0, 4000), validation);
            return row ? dataset_reply(hub, *row) : ctx.error(row.error());
          }));
  router.add(
      "POST", base + "/{datasetId}/commit", service, false,
      with_body(hub, [&](Context& ctx, const store::ConnectionRow& conn,
                         const nlohmann::json& body) {
        bool bad = false;
        auto pages = int_member(body, "pageCount", &bad);
        auto records = int_member(body, "recordCount", &bad);
        if (bad || !pages || !records || *pages < 0 || *records < 0) {
          return ctx.error(bad_request("pageCount and recordCount (whole numbers) are required"));
        }
        std::optional<nlohmann::json> validation;
        if (body.contains("validation") && !body["validation"].is_null()) {
          validation = body["validation"];
        }
        auto row = core::commit(hub, conn, ctx.param("datasetId"), string_member(body, "leaseId"),
                                *pages, *records, validation);
        return row ? dataset_reply(hub, *row) : ctx.error(row.error());
      }));
  router.add("GET", base + "/{datasetId}/pages", service, false, [&](Context& ctx) {
    auto conn = agent(hub, ctx);
    if (!conn) {
      return ctx.error(conn.error());
    }
    auto pages = core::list_pages(hub, *conn, ctx.param("datasetId"),
                                  ctx.request.query_param("leaseId").value_or(""));
    if (!pages) {
      return ctx.error(pages.error());
    }
    Json list = Json::array();
    for (const auto& p : *pages) {
      list.push_back(Json{{"number", p.number}, {"sha256", p.sha256}, {"records", p.records}});
    }
    return json_response(200, Json{{"pages", list}});
  });
  router.add("PUT", base + "/{datasetId}/pages/{number}", service, false, [&](Context& ctx) {
    auto conn = agent(hub, ctx);
    if (!conn) {
      return ctx.error(conn.error());
    }
    const auto& request = ctx.request;
    auto number = to_int(ctx.param("number"));
    if (!number || *number < 0 || *number > 1'000'000) {
      return ctx.error(bad_request("the page number must be a whole number from 0"));
    }
    auto encoding = request.header("Content-Encoding").value_or("");
    if (encoding != "zstd") {
      return ctx.error(bad_request("pages must be sent with Content-Encoding: zstd"));
    }
    core::PageUpload page;
    page.number = static_cast<int>(*number);
    page.lease_id = request.header("X-Lease-Id").value_or("");
    if (auto records = request.header("X-Records")) {
      page.records = to_int(*records);
    }
    page.sha256 = request.header("X-Content-SHA256").value_or("");
    page.compressed_body = request.body;
    auto stored = core::upload_page(hub, *conn, ctx.param("datasetId"), page);
    if (!stored) {
      return ctx.error(stored.error());
    }
    return json_response(
        200,
        Json{{"number", stored->number}, {"sha256", stored->sha256}, {"records", stored->records}});
  });
}

}  // namespace

void add_gateway_routes(api::Router& router, core::Hub& hub) {
  add_link_routes(router, hub);
  add_dataset_routes(router, hub);
}

transport::WebSocketHooks websocket_hooks(core::Hub& hub) {
  transport::WebSocketHooks hooks;
  hooks.ws_path = std::string(kWebSocketPath);
  hooks.authorize = [&hub](const HttpRequest& request,
                           HttpResponse& reject) -> std::optional<std::string> {
    auto conn = core::authenticate_agent(hub, request.header("Authorization").value_or(""));
    if (!conn) {
      reject = api::error_response(conn.error(), kService, api::new_correlation_id());
      return std::nullopt;
    }
    return conn->id;
  };
  hooks.on_presence = [&hub](const std::string& key, bool open) {
    if (open) {
      hub.presence().session_opened(key, hub.now());
      spdlog::info("agent of connection {} connected (WebSocket)", key);
    } else {
      hub.presence().session_closed(key, hub.now());
      spdlog::info("agent of connection {} disconnected (WebSocket)", key);
    }
  };
  hooks.on_message = [&hub](const std::string& key, std::string_view text) {
    if (!json_depth_ok(text)) {
      return;
    }
    auto message = nlohmann::json::parse(text, nullptr, false);
    if (message.is_object() && message.value("type", "") == "hello") {
      try {
        core::record_agent_hello(hub, key, message);
      } catch (const std::exception& e) {
        spdlog::warn("could not record the hello of connection {}: {}", key, e.what());
      }
    }
  };
  return hooks;
}

}  // namespace bookbridge::hub::gateway
