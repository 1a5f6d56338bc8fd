// Semantic checks of single config values, and the small text helpers of the loader.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "config/config_internal.h"
#include "platform/paths.h"

namespace bookbridge::agent::config {
namespace fs = std::filesystem;

namespace detail {

void IssueCollector::add(const std::string& path, std::string message) {
  for (const auto& issue : issues_) {
    if (issue.path == path && issue.message == message) {
      return;  // a reader and the generic checks may both notice the same thing
    }
  }
  issues_.push_back({path, locator_.line_of(path), std::move(message)});
  bad_paths_.insert(path);
}

void IssueCollector::warn(const std::string& path, std::string message) {
  warnings_.push_back({path, locator_.line_of(path), std::move(message)});
}

bool IssueCollector::has_issue_under(std::string_view path) const {
  for (auto it = bad_paths_.lower_bound(path); it != bad_paths_.end(); ++it) {
    std::string_view bad = *it;
    if (bad.substr(0, path.size()) != path) {
      break;
    }
    if (bad.size() == path.size() || bad[path.size()] == '.' || bad[path.size()] == '[') {
      return true;
    }
  }
  return false;
}

fs::path IssueCollector::resolve(const fs::path& path) const {
  if (path.empty() || path.is_absolute()) {
    return path;
  }
  return (base_dir_ / path).lexically_normal();
}

std::string_view json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "a list";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer";
    case nlohmann::json::value_t::number_float:
      return "a decimal number";
    default:
      return "an unsupported value";
  }
}

std::string short_dump(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) {
    text = text.substr(0, 57) + "...";
  }
  return text;
}

void check_hub_url(const std::string& url, const std::string& path, IssueCollector& issues) {
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "https") {
    issues.add(path, "'" + url +
                         "' is not an https:// URL: TLS is mandatory between agent and hub, "
                         "plain HTTP is not supported (write https://HOST[:PORT])");
    return;
  }
  std::string rest = url.substr(scheme_end + 3);
  auto authority_end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, authority_end);
  std::string tail = authority_end == std::string::npos ? "" : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string::npos) {
    issues.add(path, "'" + url + "' has no host (write https://HOST[:PORT])");
    return;
  }
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    std::string port = authority.substr(colon + 1);
    bool numeric =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!numeric || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      issues.add(path, "'" + url + "' has an invalid port '" + port + "' (1-65535)");
      return;
    }
  }
  if (!tail.empty() && tail != "/") {
    issues.add(path, "'" + url +
                         "' has a path or query; hub.url is only the hub's address, "
                         "https://HOST[:PORT]");
  }
}

void check_ca_file(const fs::path& file, const std::string& path, IssueCollector& issues) {
  std::error_code ec;
  auto status = fs::status(file, ec);
  if (!fs::exists(status)) {
    issues.add(path, "file does not exist: " + file.string() +
                         " (give the PEM certificate of the CA that signed the hub's "
                         "certificate, or the hub's own self-signed certificate)");
    return;
  }
  if (!fs::is_regular_file(status)) {
    issues.add(path, "not a regular file: " + file.string());
    return;
  }
  std::ifstream probe(file, std::ios::binary);
  if (!probe) {
    issues.add(path, "cannot read " + file.string() + ": " + std::strerror(errno) +
                         " (the agent needs read access)");
    return;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(file.string().c_str(), "r"),
                                                &BIO_free);
  int certificates = 0;
  if (bio) {
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      X509_free(cert);
      ++certificates;
    }
  }
  ERR_clear_error();  // the loop ends with a "no start line" error; it is not ours to keep
  if (certificates == 0) {
    issues.add(path, "no PEM certificate in " + file.string() +
                         " (expected '-----BEGIN CERTIFICATE-----'; convert a DER file with "
                         "`openssl x509 -inform der -in ca.cer -out ca.pem`)");
  }
}

void check_state_dir(const fs::path& dir, const std::string& path, IssueCollector& issues) {
  std::error_code ec;
  auto status = fs::status(dir, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    issues.add(path, "exists but is not a directory: " + dir.string());
  }
}

void check_source_file(const fs::path& file, const std::string& path, IssueCollector& issues) {
  std::error_code ec;
  auto status = fs::status(file, ec);
  if (!fs::exists(status)) {
    issues.warn(path, "file does not exist (yet): " + file.string() +
                          " (check the path; the agent needs read access when it syncs)");
    return;
  }
  if (fs::is_regular_file(status) && !std::ifstream(file, std::ios::binary)) {
    issues.warn(path, "cannot read " + file.string() + " as this user: " + std::strerror(errno) +
                          " (the agent's user needs read access)");
  }
}

void check_log_file(const fs::path& file, const std::string& path, IssueCollector& issues) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    issues.add(path, "is a directory, not a file: " + file.string());
    return;
  }
  auto parent = file.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    issues.add(path, "directory does not exist: " + parent.string() +
                         " (create it, writable by the agent's user)");
  }
}

}  // namespace detail

void throw_exception_from_error(const ConfigErrors& errors, const boost::source_location&) {
  std::string text = "invalid configuration " + errors.file.string();
  for (const auto& issue : errors.issues) {
    text += "\n" + format_issue(errors.file, issue);
  }
  throw std::runtime_error(text);
}

std::string format_issue(const fs::path& file, const ConfigIssue& issue, bool warning) {
  std::string text = file.string();
  if (issue.line > 0) {
    text += ":" + std::to_string(issue.line);
  }
  text += ": ";
  if (!issue.path.empty()) {
    text += issue.path + ": ";
  }
  return text + (warning ? "warning: " : "") + issue.message;
}

fs::path resolve_config_file(const std::optional<std::string>& from_command_line) {
  if (from_command_line && !from_command_line->empty()) {
    return fs::path(*from_command_line);
  }
  if (const char* env = std::getenv("BOOKBRIDGE_AGENT_CONFIG"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return platform::default_agent_config_file();
}

bool is_valid_source_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || std::isalnum(static_cast<unsigned char>(name[0])) == 0) {
    return false;  // a leading '.' or '-' would make hidden files or look like an option
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string_view to_string(TransportMode mode) {
  switch (mode) {
    case TransportMode::websocket:
      return "websocket";
    case TransportMode::poll:
      return "poll";
    case TransportMode::automatic:
      break;
  }
  return "auto";
}

std::string_view to_string(LogFormat format) {
  return format == LogFormat::json ? "json" : "text";
}

}  // namespace bookbridge::agent::config
