#pragma once

// The linkUrl a connection carries: https://HUB/agent/v1/link?connectionId=<uuid>&token=<token>.
// Error messages never repeat the URL: it holds a one-time secret.

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "transport/url.h"

namespace bookbridge::agent::cli {

struct LinkUrl {
  transport::Url url;  ///< the whole URL, parsed; url.origin() is the hub
  std::string connection_id;
  std::string token;  ///< one-time secret: never print or log
};

/// Parses a linkUrl; the error is a message for a person (without the token).
boost::system::result<LinkUrl, std::string> parse_link_url(std::string_view text);

/// True when two https URLs name the same hub (scheme, host case-insensitively, port).
bool same_origin(std::string_view a, std::string_view b);

}  // namespace bookbridge::agent::cli
