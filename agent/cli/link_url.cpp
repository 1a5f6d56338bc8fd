#include "cli/link_url.h"

#include <algorithm>
#include <cctype>

#include "transport/http_types.h"

namespace bookbridge::agent::cli {
namespace {

constexpr std::string_view kLinkPath = "/agent/v1/link";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

boost::system::result<LinkUrl, std::string> parse_link_url(std::string_view text) {
  constexpr std::string_view kExpected =
      " (expected https://HUB/agent/v1/link?connectionId=...&token=..., the connection's linkUrl "
      "as the hub shows it; quote it in the shell so '&' is not cut off)";
  std::string error;
  auto url = transport::parse_url(text, &error);
  if (!url) {
    return "not a valid link URL: " + error + std::string(kExpected);
  }
  if (url->scheme != "https") {
    return "a link URL starts with https://" + std::string(kExpected);
  }
  std::string_view target = url->target;
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  if (path != kLinkPath) {
    return "the URL's path is not " + std::string(kLinkPath) + std::string(kExpected);
  }
  LinkUrl link{*url, {}, {}};
  if (question != std::string_view::npos) {
    auto query = target.substr(question + 1);
    query = query.substr(0, query.find('#'));
    for (const auto& [key, value] : transport::parse_query(query)) {
      if (key == "connectionId" && link.connection_id.empty()) {
        link.connection_id = value;
      } else if (key == "token" && link.token.empty()) {
        link.token = value;
      }
    }
  }
  if (link.connection_id.empty()) {
    return "the link URL has no connectionId" + std::string(kExpected);
  }
  if (link.token.empty()) {
    return "the link URL has no token" + std::string(kExpected);
  }
  return link;
}

bool same_origin(std::string_view a, std::string_view b) {
  auto left = transport::parse_url(a);
  auto right = transport::parse_url(b);
  return left && right && lower(left->origin()) == lower(right->origin());
}

}  // namespace bookbridge::agent::cli
