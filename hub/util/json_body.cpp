#include "util/json_body.h"

namespace bookbridge::hub {

bool json_depth_ok(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

Result<nlohmann::json> parse_json(std::string_view text) {
  if (!json_depth_ok(text)) {
    return bad_request("The request body nests JSON deeper than " + std::to_string(kMaxJsonDepth) +
                       " levels.");
  }
  try {
    return Result<nlohmann::json>(boost::system::in_place_value, nlohmann::json::parse(text));
  } catch (const nlohmann::json::parse_error& e) {
    return bad_request(std::string("The request body is not valid JSON: ") + e.what());
  }
}

Result<nlohmann::json> parse_json_object(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) {
    return parsed;
  }
  if (!parsed->is_object()) {
    return bad_request("The request body must be a JSON object.");
  }
  return parsed;
}

}  // namespace bookbridge::hub
