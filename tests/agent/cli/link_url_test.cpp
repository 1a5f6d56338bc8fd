#include "cli/link_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bookbridge::agent::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(LinkUrl, ParsesTheHubsLinkUrl) {
  auto link = parse_link_url(
      "https://hub.example:8443/agent/v1/link?connectionId=7c1e-42&token=abc%2Bdef_ghi");
  ASSERT_TRUE(link.has_value()) << link.error();
  EXPECT_EQ(link->url.origin(), "https://hub.example:8443");
  EXPECT_EQ(link->connection_id, "7c1e-42");
  EXPECT_EQ(link->token, "abc+def_ghi") << "query values are percent-decoded";
}

TEST(LinkUrl, DefaultPortAndParameterOrderDoNotMatter) {
  auto link = parse_link_url("https://hub.example/agent/v1/link?token=t0k&connectionId=c1");
  ASSERT_TRUE(link.has_value()) << link.error();
  EXPECT_EQ(link->url.origin(), "https://hub.example:443");
  EXPECT_EQ(link->token, "t0k");
  EXPECT_EQ(link->connection_id, "c1");
}

TEST(LinkUrl, RejectsWhatIsNotALinkUrlWithoutEchoingTheToken) {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const auto& c : std::initializer_list<Case>{
           {"http://hub/agent/v1/link?connectionId=c&token=SECRET1", "https"},
           {"https://hub/agent/v1/poll?connectionId=c&token=SECRET1", "path is not"},
           {"https://hub/agent/v1/link?token=SECRET1", "no connectionId"},
           {"https://hub/agent/v1/link?connectionId=c", "no token"},
           {"https://hub/agent/v1/link?connectionId=c&token=", "no token"},
           {"hub/agent/v1/link?connectionId=c&token=SECRET1", "not a valid link URL"},
           {"", "not a valid link URL"},
       }) {
    auto link = parse_link_url(c.text);
    ASSERT_FALSE(link.has_value()) << c.text;
    EXPECT_THAT(link.error(), HasSubstr(c.why)) << c.text;
    EXPECT_THAT(link.error(), Not(HasSubstr("SECRET1"))) << c.text;
  }
}

TEST(LinkUrl, SameOriginComparesSchemeHostAndPort) {
  EXPECT_TRUE(same_origin("https://Hub.Example:443", "https://hub.example"));
  EXPECT_TRUE(same_origin("https://127.0.0.1:8443", "https://127.0.0.1:8443/agent/v1/link?x=1"));
  EXPECT_FALSE(same_origin("https://hub.example:8443", "https://hub.example:9443"));
  EXPECT_FALSE(same_origin("https://hub.example", "https://other.example"));
  EXPECT_FALSE(same_origin("", "https://hub.example"));
}

}  // namespace
}  // namespace bookbridge::agent::cli
