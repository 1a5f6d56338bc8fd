#pragma once

// Codat's query language (docs/using-the-api/querying): `property<op>value` with the operators
// = != ~ > < >= <=, combined with && and || (&& binds tighter), grouped with { }, sub-properties
// with dots (customerRef.id). Parsed once, evaluated against JSON objects.

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace bookbridge::hub::query {

inline constexpr std::size_t kMaxQueryLength = 2048;
inline constexpr int kMalformedQueryCode = 4000;

enum class Op { eq, ne, contains, gt, lt, ge, le };

struct Node;

class Query {
 public:
  /// `known_property` (optional) rejects properties the entity does not have; `entity` names it
  /// in the error ("Could not resolve property x on Dataset"). Errors are 400 Malformed-Query:
  /// "Error parsing query - ...".
  static Result<Query> parse(std::string_view text,
                             const std::function<bool(std::string_view)>& known_property = {},
                             std::string_view entity = "");

  Query(Query&&) noexcept;
  Query& operator=(Query&&) noexcept;
  ~Query();

  bool matches(const nlohmann::json& object) const;
  bool matches(const nlohmann::ordered_json& object) const;

 private:
  explicit Query(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

/// Compares one JSON value with a query value under `op` (exposed for tests).
bool compare(const nlohmann::json& value, Op op, std::string_view text);

}  // namespace bookbridge::hub::query
