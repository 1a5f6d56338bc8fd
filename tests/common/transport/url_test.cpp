#include "transport/url.h"

#include <gtest/gtest.h>

namespace bookbridge::transport {
namespace {

TEST(ParseUrl, HttpsWithDefaults) {
  auto url = parse_url("https://Hub.Example");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "hub.example");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->origin(), "https://hub.example:443");
}

TEST(ParseUrl, PortPathQueryAndFragment) {
  auto url = parse_url("HTTPS://127.0.0.1:8443/agent/v1/link?connectionId=a&token=b#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/agent/v1/link?connectionId=a&token=b");
  auto query_only = parse_url("https://h?x=1");
  ASSERT_TRUE(query_only);
  EXPECT_EQ(query_only->target, "/?x=1");
}

TEST(ParseUrl, WssAndIpv6Brackets) {
  auto url = parse_url("wss://[::1]:9000/agent/v1/ws");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "wss");
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->target, "/agent/v1/ws");
  EXPECT_EQ(url->origin(), "wss://[::1]:9000");
  auto no_port = parse_url("https://[2001:db8::1]/x");
  ASSERT_TRUE(no_port);
  EXPECT_EQ(no_port->host, "2001:db8::1");
  EXPECT_EQ(no_port->port, 443);
}

TEST(ParseUrl, RejectsBadUrlsWithAReason) {
  for (const char* bad :
       {"http://hub.example/", "ftp://x", "hub.example:443", "https://", "https://:443/",
        "https://h:0/", "https://h:65536/", "https://h:abc/", "https://h:/", "https://user:pw@h/",
        "https://[::1/", "https://[zz]/", "https://[::1]x/", "https://h b/", "https://h/a b",
        "https://h\x01/", "https://exa$mple/", ""}) {
    std::string error;
    EXPECT_FALSE(parse_url(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace bookbridge::transport
