#pragma once

// Parsing untrusted JSON without risk: nesting is bounded before nlohmann sees the text (its
// parser and serializer recurse), and errors come back as a 400 ApiError.

#include <nlohmann/json.hpp>
#include <string_view>

#include "util/result.h"

namespace bookbridge::hub {

inline constexpr int kMaxJsonDepth = 64;

/// True when `text` never nests arrays/objects deeper than `max_depth` (strings are skipped).
bool json_depth_ok(std::string_view text, int max_depth = kMaxJsonDepth);

/// Parses a request body; 400 with a readable message when it is not valid JSON.
Result<nlohmann::json> parse_json(std::string_view text);

/// Parses a body that must be a JSON object.
Result<nlohmann::json> parse_json_object(std::string_view text);

}  // namespace bookbridge::hub
