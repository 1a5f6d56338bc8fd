// Synced data: records served from the latest Complete snapshot of each data type, as the exact
// JSON text the agent uploaded.
#include <algorithm>
#include <charconv>

#include "api/paging.h"
#include "api/routes.h"
#include "core/directory.h"
#include "store/records.h"
#include "store/repositories.h"
#include "util/json_spans.h"
#include "util/time_format.h"

namespace bookbridge::hub::api {
namespace {

using model::DataType;

// The Complete dataset whose records are served; 409 when there is none yet.
Result<store::DatasetRow> snapshot(store::Connection& db, std::string_view company_id,
                                   DataType type) {
  auto company = core::require_company(db, company_id);
  if (!company) {
    return company.error();
  }
  if (auto done = store::latest_dataset(db, company_id, type, true)) {
    return *done;
  }
  const std::string key(model::to_key(type));
  if (auto latest = store::latest_dataset(db, company_id, type, false)) {
    return conflict("The data set has not been completed: no " + key +
                        " sync has completed yet for company " + std::string(company_id) +
                        " (latest dataset " + latest->id + " is " +
                        std::string(model::to_string(latest->status)) + ")",
                    error_code::kDataNotAvailable);
  }
  return conflict("The data set has not been requested: queue " + key + " with POST /companies/" +
                      std::string(company_id) + "/data/queue/" + key,
                  error_code::kDataNotAvailable);
}

HttpResponse raw_json(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

// The paged body with the records' stored text as results.
HttpResponse paged_records(const Context& ctx, const Paging& paging,
                           const std::vector<store::StoredRecord>& records, std::int64_t total) {
  auto body = paged_body(ctx.request, paging, Json::array(), total)
                  .dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::string_view kPrefix = "{\"results\":[]";
  std::string results = "{\"results\":[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) {
      results += ',';
    }
    results += store::served_json(records[i]);
  }
  results += ']';
  body.replace(0, kPrefix.size(), results);
  return raw_json(200, std::move(body));
}

HttpResponse list_records(const Context& ctx, core::Hub& hub, DataType type) {
  auto paging = parse_paging(ctx.request);
  if (!paging) {
    return ctx.error(paging.error());
  }
  std::optional<query::Query> filter;
  if (paging->query) {
    auto parsed = query::Query::parse(*paging->query);
    if (!parsed) {
      return ctx.error(parsed.error());
    }
    filter = std::move(*parsed);
  }
  std::optional<std::pair<std::vector<std::string>, bool>> order;
  if (paging->order_by) {
    auto parsed = parse_order_by(*paging->order_by, {});
    if (!parsed) {
      return ctx.error(parsed.error());
    }
    order = *parsed;
  }
  auto db = hub.db().acquire();
  auto snap = snapshot(*db, ctx.param("companyId"), type);
  if (!snap) {
    return ctx.error(snap.error());
  }
  const auto& company = ctx.param("companyId");
  if (!filter && !order) {
    const auto total = store::count_records(*db, company, type, snap->id);
    return paged_records(
        ctx, *paging,
        store::page_records(*db, company, type, snap->id, paging->offset(), paging->page_size),
        total);
  }
  // Filtering/ordering: one pass over the snapshot, keeping only sort keys and positions.
  std::vector<std::pair<nlohmann::json, std::int64_t>> keys;
  store::for_each_record(*db, company, type, snap->id, [&](const store::StoredRecord& record) {
    auto parsed = nlohmann::json::parse(store::served_json(record), nullptr, false);
    if (parsed.is_discarded() || (filter && !filter->matches(parsed))) {
      return true;
    }
    const nlohmann::json* key = order ? find_path(parsed, order->first) : nullptr;
    keys.emplace_back(key ? *key : nlohmann::json(), record.position);
    return true;
  });
  if (order) {
    const bool descending = order->second;
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      return descending ? b.first < a.first : a.first < b.first;
    });
  }
  std::vector<std::int64_t> positions;
  for (std::int64_t i = paging->offset();
       i < static_cast<std::int64_t>(keys.size()) && i < paging->offset() + paging->page_size;
       ++i) {
    positions.push_back(keys[static_cast<std::size_t>(i)].second);
  }
  return paged_records(ctx, *paging, store::records_at(*db, company, type, snap->id, positions),
                       static_cast<std::int64_t>(keys.size()));
}

HttpResponse single_document(const Context& ctx, core::Hub& hub, DataType type,
                             std::string* out_text) {
  auto db = hub.db().acquire();
  auto snap = snapshot(*db, ctx.param("companyId"), type);
  if (!snap) {
    return ctx.error(snap.error());
  }
  auto records = store::page_records(*db, ctx.param("companyId"), type, snap->id, 0, 1);
  if (records.empty()) {
    return ctx.error(not_found("No data available for " + std::string(model::to_key(type)) +
                               " for company " + ctx.param("companyId") + ": the source had none"));
  }
  *out_text = records.front().json;
  return raw_json(200, records.front().json);
}

std::optional<std::int64_t> int_param(const HttpRequest& request, const char* name, bool* present) {
  auto text = request.query_param(name);
  *present = text.has_value();
  if (!text) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    return std::nullopt;
  }
  return value;
}

// Codat's financial statement parameters over the monthly reports the agent uploaded.
HttpResponse financial_report(const Context& ctx, core::Hub& hub, DataType type) {
  bool present = false;
  auto period_length = int_param(ctx.request, "periodLength", &present);
  if (present && (!period_length || *period_length < 1)) {
    return ctx.error(bad_request("periodLength must be a whole number of months"));
  }
  if (present && *period_length != 1) {
    return ctx.error(bad_request(
        "periodLength=" + std::to_string(*period_length) +
        " is not supported: this hub serves the monthly reports its agent uploaded; use "
        "periodLength=1"));
  }
  auto periods = int_param(ctx.request, "periodsToCompare", &present);
  if (present && (!periods || *periods < 1 || *periods > 600)) {
    return ctx.error(bad_request("periodsToCompare must be a whole number from 1 to 600"));
  }
  std::optional<std::string> start_month;
  if (auto start = ctx.request.query_param("startMonth")) {
    auto parsed = parse_iso(*start);
    if (!parsed) {
      return ctx.error(bad_request("startMonth must be a date such as 2024-06-01"));
    }
    start_month = format_iso(*parsed).substr(0, 7);
  }
  std::string document;
  auto response = single_document(ctx, hub, type, &document);
  if (response.status != 200 || (!periods && !start_month)) {
    return response;
  }
  auto reports = find_array_member(document, "reports");
  if (!reports) {
    return response;
  }
  const char* date_key = type == DataType::balance_sheet ? "date" : "fromDate";
  std::vector<std::pair<std::string, Span>> months;
  for (const auto& span : reports->elements) {
    auto element =
        nlohmann::json::parse(document.substr(span.begin, span.end - span.begin), nullptr, false);
    std::string month;
    if (element.is_object() && element.contains(date_key) && element[date_key].is_string()) {
      month = element[date_key].get<std::string>().substr(0, 7);
    }
    if (!start_month || month <= *start_month) {
      months.emplace_back(month, span);
    }
  }
  std::stable_sort(months.begin(), months.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (periods && static_cast<std::int64_t>(months.size()) > *periods) {
    months.resize(static_cast<std::size_t>(*periods));
  }
  std::string body = document.substr(0, reports->array.begin) + "[";
  for (std::size_t i = 0; i < months.size(); ++i) {
    const auto& span = months[i].second;
    body += (i > 0 ? "," : "") + document.substr(span.begin, span.end - span.begin);
  }
  body += "]" + document.substr(reports->array.end);
  return raw_json(200, std::move(body));
}

}  // namespace

void add_data_routes(Router& router, core::Hub& hub) {
  router.add("GET", "/companies/{companyId}/data/info", "PublicApi", true, [&](Context& ctx) {
    std::string text;
    return single_document(ctx, hub, DataType::company, &text);
  });
  router.add("GET", "/companies/{companyId}/data/financials/balanceSheet", "PublicApi", true,
             [&](Context& ctx) { return financial_report(ctx, hub, DataType::balance_sheet); });
  router.add("GET", "/companies/{companyId}/data/financials/profitAndLoss", "PublicApi", true,
             [&](Context& ctx) { return financial_report(ctx, hub, DataType::profit_and_loss); });
  router.add("GET", "/companies/{companyId}/data/{segment}", "PublicApi", true, [&](Context& ctx) {
    auto type = model::data_type_from_path("data/" + ctx.param("segment"));
    if (!type || model::info(*type).shape != model::DataShape::list) {
      return ctx.error(not_found("No endpoint matches GET " + ctx.request.path));
    }
    return list_records(ctx, hub, *type);
  });
  router.add("GET", "/companies/{companyId}/data/{segment}/{recordId}", "PublicApi", true,
             [&](Context& ctx) {
               auto type = model::data_type_from_path("data/" + ctx.param("segment"));
               if (!type || model::info(*type).shape != model::DataShape::list) {
                 return ctx.error(not_found("No endpoint matches GET " + ctx.request.path));
               }
               auto db = hub.db().acquire();
               auto snap = snapshot(*db, ctx.param("companyId"), *type);
               if (!snap) {
                 return ctx.error(snap.error());
               }
               auto record = store::find_record(*db, ctx.param("companyId"), *type, snap->id,
                                                ctx.param("recordId"));
               if (!record) {
                 return ctx.error(not_found("No " + std::string(model::to_key(*type)) +
                                            " record was found with ID " + ctx.param("recordId")));
               }
               return raw_json(200, store::served_json(*record));
             });
}

}  // namespace bookbridge::hub::api
