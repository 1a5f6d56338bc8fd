// Companies, connections and integrations.
#include "api/paging.h"
#include "api/routes.h"
#include "core/directory.h"
#include "core/integrations.h"
#include "core/views.h"
#include "util/crypto.h"

namespace bookbridge::hub::api {
namespace {

bool known_company_property(std::string_view p) {
  for (std::string_view k : {"id", "name", "description", "created", "lastSync", "redirect"}) {
    if (p == k) {
      return true;
    }
  }
  return p.starts_with("tags.");
}

bool known_connection_property(std::string_view p) {
  for (std::string_view k : {"id", "integrationId", "integrationKey", "sourceId", "sourceType",
                             "platformName", "status", "created", "lastSync", "linkUrl"}) {
    if (p == k) {
      return true;
    }
  }
  return p.starts_with("connectionInfo.");
}

bool known_integration_property(std::string_view p) {
  for (std::string_view k : {"key", "name", "sourceType", "integrationId", "sourceId", "enabled"}) {
    if (p == k) {
      return true;
    }
  }
  return false;
}

Json integration_json(const core::Integration& i) {
  Json out;
  out["key"] = i.key;
  out["name"] = i.name;
  out["logoUrl"] = "";
  out["enabled"] = true;
  out["integrationId"] = i.integration_id;
  out["sourceId"] = i.source_id;
  out["sourceType"] = i.source_type;
  out["isOfflineConnector"] = true;
  out["isBeta"] = false;
  out["dataProvidedBy"] = "Bookbridge agent";
  return out;
}

HttpResponse respond(const Context& ctx, Result<Json> body, unsigned status = 200) {
  return body ? json_response(status, *body) : ctx.error(body.error());
}

}  // namespace

Guard basic_auth_guard(std::string api_key_sha256_hex) {
  return [hash = std::move(api_key_sha256_hex)](
             const HttpRequest& request) -> std::optional<ApiError> {
    const auto header = request.header("Authorization");
    constexpr std::string_view kBasic = "Basic ";
    if (header && header->size() > kBasic.size() &&
        std::string_view(*header).substr(0, kBasic.size()) == kBasic) {
      auto key = base64_decode(std::string_view(*header).substr(kBasic.size()));
      if (key && sha256_hex(*key) == hash) {
        return std::nullopt;
      }
    }
    return unauthorized(
        "Unauthorized: send the hub's API key as Authorization: Basic base64(apiKey)");
  };
}

void add_company_routes(Router& router, core::Hub& hub) {
  router.add("GET", "/integrations", "PublicApi", true, [&](Context& ctx) {
    std::vector<Json> items;
    for (const auto& i : core::integrations()) {
      items.push_back(integration_json(i));
    }
    return respond(ctx, list_body(ctx.request, std::move(items), known_integration_property,
                                  "Integration", ""));
  });
  router.add("GET", "/integrations/{platformKey}", "PublicApi", true, [&](Context& ctx) {
    auto i = core::find_integration(ctx.param("platformKey"));
    if (!i) {
      return ctx.error(not_found("No integration was found with key " + ctx.param("platformKey")));
    }
    return json_response(200, integration_json(*i));
  });

  router.add("POST", "/companies", "PublicApi", true, [&](Context& ctx) {
    auto body = object_body(ctx);
    if (!body) {
      return ctx.error(body.error());
    }
    auto row = core::create_company(hub, *body);
    if (!row) {
      return ctx.error(row.error());
    }
    auto db = hub.db().acquire();
    return json_response(200, core::company_json(hub, *db, *row));
  });
  router.add("GET", "/companies", "PublicApi", true, [&](Context& ctx) {
    std::vector<Json> items;
    {
      auto db = hub.db().acquire();
      for (const auto& row : store::list_companies(*db)) {
        items.push_back(core::company_json(hub, *db, row));
      }
    }
    return respond(ctx,
                   list_body(ctx.request, std::move(items), known_company_property, "Company", ""));
  });
  router.add("GET", "/companies/{companyId}", "PublicApi", true, [&](Context& ctx) {
    auto db = hub.db().acquire();
    auto row = core::require_company(*db, ctx.param("companyId"));
    if (!row) {
      return ctx.error(row.error());
    }
    return json_response(200, core::company_json(hub, *db, *row));
  });
  router.add("DELETE", "/companies/{companyId}", "PublicApi", true, [&](Context& ctx) {
    auto done = core::delete_company(hub, ctx.param("companyId"));
    return done ? HttpResponse{204, {}, {}, std::nullopt} : ctx.error(done.error());
  });

  router.add("POST", "/companies/{companyId}/connections", "PublicApi", true, [&](Context& ctx) {
    auto body = object_body(ctx);
    if (!body) {
      return ctx.error(body.error());
    }
    auto row = core::create_connection(hub, ctx.param("companyId"), *body);
    if (!row) {
      return ctx.error(row.error());
    }
    auto db = hub.db().acquire();
    return json_response(200, core::connection_json(hub, *db, *row));
  });
  router.add("GET", "/companies/{companyId}/connections", "PublicApi", true, [&](Context& ctx) {
    std::vector<Json> items;
    {
      auto db = hub.db().acquire();
      auto company = core::require_company(*db, ctx.param("companyId"));
      if (!company) {
        return ctx.error(company.error());
      }
      for (auto& row : store::list_connections(*db, company->id)) {
        items.push_back(core::connection_json(hub, *db, row));
      }
    }
    return respond(
        ctx, list_body(ctx.request, std::move(items), known_connection_property, "Connection", ""));
  });
  router.add("GET", "/companies/{companyId}/connections/{connectionId}", "PublicApi", true,
             [&](Context& ctx) {
               auto db = hub.db().acquire();
               auto row =
                   core::require_connection(*db, ctx.param("companyId"), ctx.param("connectionId"));
               if (!row) {
                 return ctx.error(row.error());
               }
               return json_response(200, core::connection_json(hub, *db, *row));
             });
  router.add("DELETE", "/companies/{companyId}/connections/{connectionId}", "PublicApi", true,
             [&](Context& ctx) {
               auto done =
                   core::delete_connection(hub, ctx.param("companyId"), ctx.param("connectionId"));
               return done ? HttpResponse{204, {}, {}, std::nullopt} : ctx.error(done.error());
             });
  router.add("PATCH", "/companies/{companyId}/connections/{connectionId}", "PublicApi", true,
             [&](Context& ctx) {
               auto body = object_body(ctx);
               if (!body) {
                 return ctx.error(body.error());
               }
               auto row = core::patch_connection(hub, ctx.param("companyId"),
                                                 ctx.param("connectionId"), *body);
               if (!row) {
                 return ctx.error(row.error());
               }
               auto db = hub.db().acquire();
               return json_response(200, core::connection_json(hub, *db, *row));
             });
}

}  // namespace bookbridge::hub::api
