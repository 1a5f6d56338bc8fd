// The generic, table-driven part of the loader: unknown keys, missing keys, types, enums and
// ranges, for any object described by OptionSpec rows.

#include <algorithm>

#include "config/config_internal.h"

namespace bookbridge::agent::config::detail {
using nlohmann::json;

namespace {

const OptionSpec* find_row(std::span<const OptionSpec> rows, std::string_view path) {
  auto it =
      std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.path == path; });
  return it == rows.end() ? nullptr : &*it;
}

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& known,
                                std::span<const OptionSpec> rows) {
  std::string message = "unknown key '" + key + "'";
  if (auto close = closest_match(key, known); !close.empty()) {
    return message + " (did you mean '" + close + "'?)";
  }
  // A key written at the wrong level, e.g. "url" at the top instead of under "hub".
  for (const auto& row : rows) {
    auto last = row.path.substr(row.path.find_last_of('.') + 1);
    if (last == key && row.path.find('.') != std::string_view::npos) {
      return message + " (it belongs under '" + std::string(row.path) + "')";
    }
  }
  return message + " (known keys here: " + join(known) + ")";
}

// Type, enum and range checks of one value against its row.
void check_type(const OptionSpec& row, const json& value, const std::string& path,
                IssueCollector& issues) {
  auto expected = [&](std::string_view what) {
    issues.add(path, "expected " + std::string(what) + ", got " +
                         std::string(detail::json_type_name(value)) + " (" +
                         detail::short_dump(value) + ")");
  };
  switch (row.type) {
    case OptionType::string:
    case OptionType::path:
    case OptionType::url:
      if (!value.is_string()) {
        return expected(row.type == OptionType::path ? "a path (string)" : "a string");
      }
      if (value.get_ref<const std::string&>().empty()) {
        issues.add(path, "must not be empty (leave the key out to use the default)");
      }
      return;
    case OptionType::integer: {
      if (!value.is_number_integer()) {
        return expected("an integer");
      }
      if (row.min_value != 0 || row.max_value != 0) {
        // nlohmann stores non-negative numbers as unsigned and negative ones as signed.
        bool in_range =
            value.is_number_unsigned()
                ? value.get<std::uint64_t>() >=
                          static_cast<std::uint64_t>(std::max<std::int64_t>(row.min_value, 0)) &&
                      value.get<std::uint64_t>() <= static_cast<std::uint64_t>(row.max_value)
                : value.get<std::int64_t>() >= row.min_value &&
                      value.get<std::int64_t>() <= row.max_value;
        if (!in_range) {
          issues.add(path, detail::short_dump(value) + " is out of range: must be between " +
                               std::to_string(row.min_value) + " and " +
                               std::to_string(row.max_value) + " (default " +
                               std::string(row.default_value) + ")");
        }
      }
      return;
    }
    case OptionType::boolean:
      if (!value.is_boolean()) {
        expected("true or false");
      }
      return;
    case OptionType::enumeration: {
      if (!value.is_string()) {
        return expected("a string");
      }
      if (row.allowed.empty()) {
        return;  // allowed values are dynamic (sources[].reader); checked by the caller
      }
      auto allowed = split(row.allowed, '|');
      const auto& text = value.get_ref<const std::string&>();
      if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
        std::string message = "'" + text + "' is not one of: " + join(allowed);
        if (auto close = closest_match(text, allowed); !close.empty()) {
          message += " (did you mean '" + close + "'?)";
        }
        issues.add(path, message);
      }
      return;
    }
    case OptionType::string_list:
      if (!value.is_array()) {
        return expected("a list of strings");
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
          issues.add(path + "[" + std::to_string(i) + "]",
                     "expected a string, got " + std::string(detail::json_type_name(value[i])));
        }
      }
      return;
    case OptionType::object_list:
      if (!value.is_array()) {
        return expected("a list of objects");
      }
      return;
  }
}

}  // namespace

std::string first_segment(std::string_view rest) {
  return std::string(rest.substr(0, rest.find_first_of(".[")));
}

// Keys that may appear directly in an object whose rows start with `prefix`.
std::vector<std::string> known_keys(std::span<const OptionSpec> rows, std::string_view prefix) {
  std::vector<std::string> keys;
  for (const auto& row : rows) {
    if (row.path.substr(0, prefix.size()) == prefix && row.path.size() > prefix.size()) {
      auto key = first_segment(row.path.substr(prefix.size()));
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        keys.push_back(key);
      }
    }
  }
  return keys;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : std::string(separator)) + item;
  }
  return out;
}

// Strict walk of one object: unknown keys, missing required keys, types. Sections ("hub",
// "log") recurse; object lists are left to their own handler. `ignore_unknown` skips the
// unknown-key check (used when a source's reader is unknown, so its keys cannot be judged).
void check_object(const json& object, std::span<const OptionSpec> rows,
                  std::string_view table_prefix, const std::string& json_prefix,
                  IssueCollector& issues, bool ignore_unknown) {
  auto keys = known_keys(rows, table_prefix);
  for (const auto& [key, value] : object.items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      if (!ignore_unknown) {
        issues.add(json_prefix + key, unknown_key_message(key, keys, rows));
      }
    }
  }
  for (const auto& key : keys) {
    std::string row_path = std::string(table_prefix) + key;
    std::string path = json_prefix + key;
    const OptionSpec* row = find_row(rows, row_path);
    auto it = object.find(key);
    if (row != nullptr) {
      if (it != object.end()) {
        check_type(*row, *it, path, issues);
      } else if (row->required) {
        issues.add(path, "required key is missing");
      }
    } else if (it != object.end()) {  // a section such as "hub"
      if (!it->is_object()) {
        issues.add(path, "expected an object, got " + std::string(detail::json_type_name(*it)));
      } else {
        check_object(*it, rows, row_path + ".", path + ".", issues);
      }
    }
  }
}

// The value at a dotted path when present and free of problems.
const json* good_value(const json& root, const std::string& path, const IssueCollector& issues) {
  const json* current = &root;
  for (const auto& part : split(path, '.')) {
    if (!current->is_object()) {
      return nullptr;
    }
    auto it = current->find(part);
    if (it == current->end()) {
      return nullptr;
    }
    current = &*it;
  }
  return issues.has_issue_under(path) ? nullptr : current;
}

}  // namespace bookbridge::agent::config::detail
