// Queueing datasets, their history and validation, dataStatus and sync settings.
#include "api/paging.h"
#include "api/routes.h"
#include "core/datasets.h"
#include "core/directory.h"
#include "core/settings.h"
#include "core/views.h"

namespace bookbridge::hub::api {
namespace {

bool known_dataset_property(std::string_view p) {
  for (std::string_view k :
       {"id", "companyId", "connectionId", "dataType", "status", "statusDescription",
        "errorMessage", "requested", "completed", "progress"}) {
    if (p == k) {
      return true;
    }
  }
  return false;
}

Result<store::DatasetRow> company_dataset(store::Connection& db, std::string_view company_id,
                                          std::string_view dataset_id) {
  auto company = core::require_company(db, company_id);
  if (!company) {
    return company.error();
  }
  auto row = store::find_dataset(db, dataset_id);
  if (!row || row->company_id != company_id) {
    return not_found("No dataset was found with ID " + std::string(dataset_id) + " for company " +
                     std::string(company_id));
  }
  return *row;
}

Json settings_list(const std::vector<store::SyncSettingRow>& rows) {
  Json list = Json::array();
  for (const auto& row : rows) {
    list.push_back(core::setting_json(row));
  }
  return list;
}

}  // namespace

void add_dataset_routes(Router& router, core::Hub& hub) {
  router.add(
      "POST", "/companies/{companyId}/data/queue/{dataType}", "PullApi", true, [&](Context& ctx) {
        auto connection = ctx.request.query_param("connectionId");
        auto row =
            core::queue_dataset(hub, ctx.param("companyId"), ctx.param("dataType"), connection);
        if (!row) {
          return ctx.error(row.error());
        }
        auto db = hub.db().acquire();
        core::ConnectionCache cache(*db);
        return json_response(200, core::dataset_json(hub, cache, *row));
      });
  router.add("POST", "/companies/{companyId}/data/all", "PullApi", true, [&](Context& ctx) {
    auto done = core::queue_all(hub, ctx.param("companyId"));
    return done ? HttpResponse{204, {}, {}, std::nullopt} : ctx.error(done.error());
  });
  router.add("GET", "/companies/{companyId}/data/history", "PullApi", true, [&](Context& ctx) {
    std::vector<Json> items;
    {
      auto db = hub.db().acquire();
      auto company = core::require_company(*db, ctx.param("companyId"));
      if (!company) {
        return ctx.error(company.error());
      }
      core::ConnectionCache cache(*db);
      for (const auto& row : store::list_datasets(*db, company->id)) {
        items.push_back(core::dataset_json(hub, cache, row));
      }
    }
    // Newest first unless orderBy says otherwise (stable, so equal times keep queue order).
    std::reverse(items.begin(), items.end());
    auto body = list_body(ctx.request, std::move(items), known_dataset_property, "Dataset", "");
    return body ? json_response(200, *body) : ctx.error(body.error());
  });
  router.add("GET", "/companies/{companyId}/data/history/{datasetId}", "PullApi", true,
             [&](Context& ctx) {
               auto db = hub.db().acquire();
               auto row = company_dataset(*db, ctx.param("companyId"), ctx.param("datasetId"));
               if (!row) {
                 return ctx.error(row.error());
               }
               core::ConnectionCache cache(*db);
               return json_response(200, core::dataset_json(hub, cache, *row));
             });
  router.add("GET", "/companies/{companyId}/sync/{datasetId}/validation", "PullApi", true,
             [&](Context& ctx) {
               auto db = hub.db().acquire();
               auto row = company_dataset(*db, ctx.param("companyId"), ctx.param("datasetId"));
               if (!row) {
                 return ctx.error(row.error());
               }
               return json_response(200, core::validation_json(*row));
             });
  router.add("GET", "/companies/{companyId}/dataStatus", "PullApi", true, [&](Context& ctx) {
    auto db = hub.db().acquire();
    auto company = core::require_company(*db, ctx.param("companyId"));
    if (!company) {
      return ctx.error(company.error());
    }
    return json_response(200, core::data_status_json(*db, company->id));
  });

  router.add("GET", "/profile/syncSettings", "ClientsApi", true, [&](Context&) {
    auto db = hub.db().acquire();
    Json body;
    body["clientId"] = core::client_id(*db);
    body["settings"] = settings_list(core::profile_settings(*db));
    body["overridesDefaults"] = !store::profile_settings(*db).empty();
    return json_response(200, body);
  });
  router.add("POST", "/profile/syncSettings", "ClientsApi", true, [&](Context& ctx) {
    auto body = object_body(ctx);
    if (!body) {
      return ctx.error(body.error());
    }
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto merged = core::merge_settings(core::profile_settings(*db), *body);
    if (!merged) {
      return ctx.error(merged.error());
    }
    store::replace_profile_settings(*db, *merged);
    txn.commit();
    hub.schedule_changed();
    return HttpResponse{204, {}, {}, std::nullopt};
  });
  router.add("GET", "/companies/{companyId}/syncSettings", "PublicApi", true, [&](Context& ctx) {
    auto db = hub.db().acquire();
    auto company = core::require_company(*db, ctx.param("companyId"));
    if (!company) {
      return ctx.error(company.error());
    }
    Json body;
    body["companyId"] = company->id;
    body["settings"] = settings_list(core::effective_settings(*db, company->id));
    body["overridesDefaults"] = core::company_overrides(*db, company->id);
    return json_response(200, body);
  });
  router.add("POST", "/companies/{companyId}/syncSettings", "PublicApi", true, [&](Context& ctx) {
    auto body = object_body(ctx);
    if (!body) {
      return ctx.error(body.error());
    }
    auto overrides = body->find("overridesDefaults");
    if (overrides != body->end() && !overrides->is_boolean()) {
      return ctx.error(bad_request("overridesDefaults must be true or false"));
    }
    auto db = hub.db().acquire();
    store::Transaction txn(*db);
    auto company = core::require_company(*db, ctx.param("companyId"));
    if (!company) {
      return ctx.error(company.error());
    }
    if (overrides != body->end() && !overrides->get<bool>()) {
      store::replace_company_settings(*db, company->id, {});  // back to the profile
    } else {
      auto merged = core::merge_settings(core::effective_settings(*db, company->id), *body);
      if (!merged) {
        return ctx.error(merged.error());
      }
      store::replace_company_settings(*db, company->id, *merged);
    }
    txn.commit();
    hub.schedule_changed();
    Json out;
    out["companyId"] = company->id;
    out["settings"] = settings_list(core::effective_settings(*db, company->id));
    out["overridesDefaults"] = core::company_overrides(*db, company->id);
    return json_response(200, out);
  });
}

}  // namespace bookbridge::hub::api
