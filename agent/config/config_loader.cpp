#include "config/config_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/agent_options.h"
#include "config/config_internal.h"
#include "platform/paths.h"
#include "readers/registry.h"

namespace bookbridge::agent::config {
namespace fs = std::filesystem;
using detail::check_object;
using detail::first_segment;
using detail::good_value;
using detail::IssueCollector;
using detail::join;
using nlohmann::json;

namespace {

constexpr std::string_view kSourceRows = "sources[].";

// Records where parsing failed; used only after the non-throwing parse said the text is bad.
class SyntaxProbe : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error) override {
    position_ = position;
    token_ = last_token;
    message_ = error.what();
    return false;
  }

  std::size_t position_ = 0;
  std::string token_;
  std::string message_;
};

ConfigIssue syntax_issue(std::string_view text) {
  SyntaxProbe probe;
  json::sax_parse(text, &probe, json::input_format_t::json, true, /*ignore_comments=*/true);
  std::size_t offset = std::min(probe.position_ > 0 ? probe.position_ - 1 : 0, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3, column
  // 5: syntax error while parsing object key - ..."; keep what follows the position.
  std::string detail = probe.message_;
  if (auto colon = detail.find(": "); colon != std::string::npos) {
    detail = detail.substr(colon + 2);
  }
  std::ostringstream message;
  message << "column " << (offset - line_start + 1) << ": JSON syntax error: " << detail;
  return ConfigIssue{"", line, message.str()};
}

std::vector<std::string> data_type_keys() {
  std::vector<std::string> keys;
  for (const auto& info : model::all_data_types()) {
    keys.emplace_back(info.key);
  }
  return keys;
}

std::vector<OptionSpec> source_rows(const readers::ReaderFactory* factory) {
  std::vector<OptionSpec> rows;
  for (const auto& row : agent_options()) {
    if (row.path.substr(0, kSourceRows.size()) == kSourceRows) {
      rows.push_back(row);
    }
  }
  if (factory != nullptr) {
    rows.insert(rows.end(), factory->options.begin(), factory->options.end());
  }
  return rows;
}

void run_reader_validate(const readers::ReaderFactory& factory, const json& entry,
                         const std::string& path, IssueCollector& issues) {
  std::vector<readers::ConfigProblem> problems;
  try {
    factory.validate(entry, path, problems);
  } catch (const std::exception& error) {
    issues.add(path,
               "the " + factory.name + " reader could not check this source: " + error.what());
  }
  for (auto& problem : problems) {
    issues.add(problem.path, std::move(problem.message));
  }
}

std::optional<SourceConfig> load_source(const json& entry, std::size_t index,
                                        const readers::ReaderRegistry& registry,
                                        std::vector<std::string>& names, IssueCollector& issues) {
  std::string path = "sources[" + std::to_string(index) + "]";
  if (!entry.is_object()) {
    issues.add(
        path, "expected an object (one source), got " + std::string(detail::json_type_name(entry)));
    return std::nullopt;
  }
  const readers::ReaderFactory* factory = nullptr;
  auto reader = entry.find("reader");
  if (reader != entry.end() && reader->is_string()) {
    factory = registry.find(reader->get<std::string>());
    if (factory == nullptr) {
      auto names_known = registry.names();
      std::string message = "unknown reader '" + reader->get<std::string>() + "'";
      if (auto close = closest_match(reader->get<std::string>(), names_known); !close.empty()) {
        message += " (did you mean '" + close + "'?)";
      }
      issues.add(path + ".reader", message + "; registered readers: " + join(names_known));
    }
  }
  auto rows = source_rows(factory);
  bool reader_unknown = factory == nullptr;
  check_object(entry, rows, kSourceRows, path + ".", issues, reader_unknown);

  SourceConfig source;
  if (auto name = entry.find("name"); name != entry.end() && name->is_string()) {
    source.name = name->get<std::string>();
    if (issues.has_issue_under(path + ".name")) {
      // already reported (empty)
    } else if (!is_valid_source_name(source.name)) {
      issues.add(path + ".name",
                 "'" + source.name +
                     "' is not a valid source name: use 1-64 letters, digits, '.', '_' or "
                     "'-', starting with a letter or digit (it names files "
                     "under stateDir)");
    } else if (std::find(names.begin(), names.end(), source.name) != names.end()) {
      issues.add(path + ".name",
                 "duplicate source name '" + source.name + "': every source needs its own name");
    }
    names.push_back(source.name);
  }
  if (auto types = entry.find("dataTypes"); types != entry.end() && types->is_array()) {
    auto valid = data_type_keys();
    for (std::size_t i = 0; i < types->size(); ++i) {
      const auto& item = (*types)[i];
      if (!item.is_string()) {
        continue;  // reported by check_type
      }
      std::string item_path = path + ".dataTypes[" + std::to_string(i) + "]";
      auto type = model::data_type_from_key(item.get<std::string>());
      if (!type) {
        std::string message = "unknown data type '" + item.get<std::string>() + "'";
        if (auto close = closest_match(item.get<std::string>(), valid); !close.empty()) {
          message += " (did you mean '" + close + "'?)";
        }
        issues.add(item_path, message + "; valid: " + join(valid));
      } else if (std::find(source.data_types.begin(), source.data_types.end(), *type) !=
                 source.data_types.end()) {
        issues.add(item_path, "'" + item.get<std::string>() + "' is listed twice");
      } else {
        source.data_types.push_back(*type);
      }
    }
  }
  if (factory == nullptr) {
    return std::nullopt;
  }
  source.reader = factory->name;
  // The reader's own keys, with relative paths resolved against the config file's directory.
  json resolved = entry;
  bool reader_keys_ok = true;
  for (const auto& row : factory->options) {
    std::string key = first_segment(row.path.substr(kSourceRows.size()));
    std::string key_path = path + "." + key;
    reader_keys_ok = reader_keys_ok && !issues.has_issue_under(key_path);
    auto it = resolved.find(key);
    if (it == resolved.end()) {
      continue;
    }
    if (row.type == OptionType::path && it->is_string() && !it->get<std::string>().empty()) {
      *it = issues.resolve(fs::path(it->get<std::string>())).string();
      check_source_file(it->get<std::string>(), key_path, issues);
    }
    source.options[key] = *it;
  }
  if (reader_keys_ok) {
    run_reader_validate(*factory, resolved, path, issues);
  }
  return source;
}

template <class Enum>
Enum enum_value(const json* value, std::initializer_list<std::pair<std::string_view, Enum>> map,
                Enum fallback) {
  if (value != nullptr) {
    for (const auto& [text, result] : map) {
      if (value->get_ref<const std::string&>() == text) {
        return result;
      }
    }
  }
  return fallback;
}

void load_top_level(const json& root, AgentConfig& config, IssueCollector& issues) {
  if (const json* url = good_value(root, "hub.url", issues)) {
    config.hub.url = url->get<std::string>();
    check_hub_url(config.hub.url, "hub.url", issues);
    while (!config.hub.url.empty() && config.hub.url.back() == '/') {
      config.hub.url.pop_back();
    }
  }
  if (const json* ca = good_value(root, "hub.caFile", issues)) {
    config.hub.ca_file = issues.resolve(ca->get<std::string>());
    check_ca_file(config.hub.ca_file, "hub.caFile", issues);
  }
  config.state_dir = platform::default_agent_state_dir();
  if (const json* dir = good_value(root, "stateDir", issues)) {
    config.state_dir = issues.resolve(dir->get<std::string>());
  }
  check_state_dir(config.state_dir, "stateDir", issues);
  config.transport = enum_value(good_value(root, "transport", issues),
                                {{"auto", TransportMode::automatic},
                                 {"websocket", TransportMode::websocket},
                                 {"poll", TransportMode::poll}},
                                config.transport);
  auto integer = [&](const char* path, int& field) {
    if (const json* value = good_value(root, path, issues)) {
      field = value->get<int>();
    }
  };
  integer("pollIntervalSeconds", config.poll_interval_seconds);
  integer("maxConcurrentDatasets", config.max_concurrent_datasets);
  integer("leaseSeconds", config.lease_seconds);
  if (const json* level = good_value(root, "log.level", issues)) {
    config.log.level = level->get<std::string>();
  }
  config.log.format =
      enum_value(good_value(root, "log.format", issues),
                 {{"text", LogFormat::text}, {"json", LogFormat::json}}, config.log.format);
  if (const json* file = good_value(root, "log.file", issues)) {
    config.log.file = issues.resolve(file->get<std::string>());
    check_log_file(config.log.file, "log.file", issues);
  }
}

}  // namespace

LoadResult parse_config(std::string_view text, const fs::path& file,
                        const readers::ReaderRegistry& registry) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (root.is_discarded()) {
    return ConfigErrors{file, {syntax_issue(text)}};
  }
  JsonLocator locator(text);
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  IssueCollector issues(locator, (ec ? file : absolute).parent_path());
  if (!root.is_object()) {
    issues.add("", "the config must be a JSON object ({ ... }), got " +
                       std::string(detail::json_type_name(root)));
    return ConfigErrors{file, issues.take()};
  }
  for (const auto& [path, line] : locator.duplicate_keys()) {
    issues.add(path, "key appears twice in the same object (only the last would count)");
  }
  check_object(root, agent_options(), "", "", issues);

  AgentConfig config;
  config.config_file = ec ? file : absolute;
  load_top_level(root, config, issues);
  if (auto sources = root.find("sources"); sources != root.end() && sources->is_array()) {
    if (sources->empty()) {
      issues.add("sources",
                 "no sources: add at least one, e.g. {\"name\": \"acme-books\", "
                 "\"reader\": \"gnucash\", \"path\": \"/srv/books/acme.gnucash\"}");
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < sources->size(); ++i) {
      if (auto source = load_source((*sources)[i], i, registry, names, issues)) {
        config.sources.push_back(std::move(*source));
      }
    }
  }
  auto by_line = [](const auto& a, const auto& b) { return a.line < b.line; };
  auto found = issues.take();
  auto warnings = issues.take_warnings();
  std::stable_sort(warnings.begin(), warnings.end(), by_line);
  if (!found.empty()) {
    std::stable_sort(found.begin(), found.end(), by_line);
    return ConfigErrors{file, std::move(found), std::move(warnings)};
  }
  config.warnings = std::move(warnings);
  return config;
}

LoadResult load_config(const fs::path& file, const readers::ReaderRegistry& registry) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return ConfigErrors{
        file,
        {{"", 0,
          "config file not found (pass --config FILE or set BOOKBRIDGE_AGENT_CONFIG; "
          "installer/agent.example.json is a commented starting point)"}}};
  }
  if (fs::is_directory(file, ec)) {
    return ConfigErrors{file, {{"", 0, "is a directory, not a config file"}}};
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return ConfigErrors{file,
                        {{"", 0,
                          std::string("cannot read the config file: ") + std::strerror(errno) +
                              " (run as a user that may read it, e.g. sudo -u bookbridge)"}}};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file, registry);
}

}  // namespace bookbridge::agent::config
