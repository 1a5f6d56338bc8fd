#include "api/paging.h"

#include <algorithm>
#include <charconv>

namespace bookbridge::hub::api {
namespace {

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The request target with `page` replaced (or added).
std::string with_page(const HttpRequest& request, std::int64_t page) {
  std::string target = request.path + "?";
  bool replaced = false;
  bool first = true;
  for (const auto& [key, value] : request.query) {
    if (!first) {
      target += '&';
    }
    first = false;
    target += transport::percent_encode(key) + "=";
    if (key == "page") {
      target += std::to_string(page);
      replaced = true;
    } else {
      target += transport::percent_encode(value);
    }
  }
  if (!replaced) {
    target += (first ? "" : "&") + std::string("page=") + std::to_string(page);
  }
  return target;
}

template <class J>
const J* find_path_impl(const J& object, const std::vector<std::string>& path) {
  const J* current = &object;
  for (const auto& segment : path) {
    if (!current->is_object()) {
      return nullptr;
    }
    auto it = current->find(segment);
    if (it == current->end()) {
      return nullptr;
    }
    current = &*it;
  }
  return current;
}

}  // namespace

const nlohmann::json* find_path(const nlohmann::json& object,
                                const std::vector<std::string>& path) {
  return find_path_impl(object, path);
}
const Json* find_path(const Json& object, const std::vector<std::string>& path) {
  return find_path_impl(object, path);
}

Result<Paging> parse_paging(const HttpRequest& request) {
  Paging paging;
  if (auto page = request.query_param("page")) {
    auto value = to_int(*page);
    if (!value || *value < 1 || *value > 100'000'000) {
      return bad_request("page must be a whole number of at least 1");
    }
    paging.page = *value;
  }
  if (auto size = request.query_param("pageSize")) {
    auto value = to_int(*size);
    if (!value || *value < 1 || *value > kMaxPageSize) {
      return bad_request("pageSize must be a whole number from 1 to 5000");
    }
    paging.page_size = *value;
  }
  if (auto query = request.query_param("query"); query && !query->empty()) {
    paging.query = *query;
  }
  if (auto order = request.query_param("orderBy"); order && !order->empty()) {
    paging.order_by = *order;
  }
  return paging;
}

Json paged_body(const HttpRequest& request, const Paging& paging, Json results,
                std::int64_t total) {
  Json body;
  body["results"] = std::move(results);
  body["pageNumber"] = paging.page;
  body["pageSize"] = paging.page_size;
  body["totalResults"] = total;
  Json links;
  links["self"] = {{"href", request.path}};
  links["current"] = {{"href", request.target}};
  if (paging.offset() + paging.page_size < total) {
    links["next"] = {{"href", with_page(request, paging.page + 1)}};
  }
  if (paging.page > 1) {
    links["previous"] = {{"href", with_page(request, paging.page - 1)}};
  }
  body["_links"] = links;
  return body;
}

Result<std::pair<std::vector<std::string>, bool>> parse_order_by(
    std::string_view order_by, const std::function<bool(std::string_view)>& known) {
  bool descending = false;
  if (!order_by.empty() && order_by.front() == '-') {
    descending = true;
    order_by.remove_prefix(1);
  }
  if (order_by.empty() || (known && !known(order_by))) {
    return bad_request("Cannot order by '" + std::string(order_by) + "': unknown property");
  }
  std::vector<std::string> path;
  for (std::size_t from = 0;;) {
    auto dot = order_by.find('.', from);
    path.emplace_back(order_by.substr(from, dot - from));
    if (dot == std::string_view::npos) {
      break;
    }
    from = dot + 1;
  }
  return std::make_pair(path, descending);
}

Result<Json> list_body(const HttpRequest& request, std::vector<Json> items,
                       const std::function<bool(std::string_view)>& known, std::string_view entity,
                       std::string_view default_order) {
  auto paging = parse_paging(request);
  if (!paging) {
    return paging.error();
  }
  if (paging->query) {
    auto parsed = query::Query::parse(*paging->query, known, entity);
    if (!parsed) {
      return parsed.error();
    }
    std::erase_if(items, [&](const Json& item) { return !parsed->matches(item); });
  }
  const std::string order = paging->order_by.value_or(std::string(default_order));
  if (!order.empty()) {
    auto key = parse_order_by(order, known);
    if (!key) {
      return key.error();
    }
    const auto& [path, descending] = *key;
    static const Json kNull;
    std::stable_sort(items.begin(), items.end(), [&](const Json& a, const Json& b) {
      const Json* va = find_path(a, path);
      const Json* vb = find_path(b, path);
      const Json& x = va ? *va : kNull;
      const Json& y = vb ? *vb : kNull;
      return descending ? y < x : x < y;
    });
  }
  const auto total = static_cast<std::int64_t>(items.size());
  Json results = Json::array();
  for (std::int64_t i = paging->offset(); i < total && i < paging->offset() + paging->page_size;
       ++i) {
    results.push_back(std::move(items[static_cast<std::size_t>(i)]));
  }
  return Result<Json>(boost::system::in_place_value,
                      paged_body(request, *paging, std::move(results), total));
}

}  // namespace bookbridge::hub::api
