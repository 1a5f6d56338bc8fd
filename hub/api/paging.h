#pragma once

// Codat paging (page, pageSize <= 5000), ordering (orderBy=field / -field) and the paged body
// {results, pageNumber, pageSize, totalResults, _links{self, current, next, previous}}.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "query/query.h"

namespace bookbridge::hub::api {

inline constexpr std::int64_t kMaxPageSize = 5000;

struct Paging {
  std::int64_t page = 1;
  std::int64_t page_size = 100;
  std::optional<std::string> query;
  std::optional<std::string> order_by;

  std::int64_t offset() const { return (page - 1) * page_size; }
};

Result<Paging> parse_paging(const HttpRequest& request);

/// The paged body around `results` (already the requested page).
Json paged_body(const HttpRequest& request, const Paging& paging, Json results, std::int64_t total);

/// Filters (query), orders (orderBy) and pages a list of metadata objects in memory.
/// `known` names the queryable/orderable properties ("a.b" sub-properties are checked by
/// their first segment); `entity` names the type in query errors ("Dataset").
Result<Json> list_body(const HttpRequest& request, std::vector<Json> items,
                       const std::function<bool(std::string_view)>& known, std::string_view entity,
                       std::string_view default_order);

/// orderBy value -> (property path, descending); 400 when the property is not known.
Result<std::pair<std::vector<std::string>, bool>> parse_order_by(
    std::string_view order_by, const std::function<bool(std::string_view)>& known);

/// The value at a dotted path (null when absent).
const nlohmann::json* find_path(const nlohmann::json& object, const std::vector<std::string>& path);
const Json* find_path(const Json& object, const std::vector<std::string>& path);

}  // namespace bookbridge::hub::api
