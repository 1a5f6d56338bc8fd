#include "core/ndjson.h"

#include <nlohmann/json.hpp>
#include <set>

#include "util/json_body.h"

namespace bookbridge::hub::core {

std::string for_each_page_record(std::string_view body, model::DataType type,
                                 const std::function<void(const PageRecord&)>& fn) {
  const bool list = model::info(type).shape == model::DataShape::list;
  std::set<std::string> ids;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < body.size()) {
    ++line_number;
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      return where + "empty line (one JSON object per line, no blank lines)";
    }
    if (!json_depth_ok(line)) {
      return where + "the record nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    }
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) {
      return where + "not valid JSON";
    }
    if (!record.is_object()) {
      return where + "a record must be a JSON object";
    }
    PageRecord out{line, {}, record.contains("modifiedDate")};
    if (list) {
      auto id = record.find("id");
      if (id == record.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        return where + "a " + std::string(model::to_key(type)) +
               " record needs a non-empty string id";
      }
      out.id = id->get<std::string>();
      if (!ids.insert(out.id).second) {
        return where + "the id " + out.id + " appears twice in this page";
      }
    }
    fn(out);
  }
  return {};
}

}  // namespace bookbridge::hub::core
