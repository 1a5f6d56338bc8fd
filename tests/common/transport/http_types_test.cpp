#include "transport/http_types.h"

#include <gtest/gtest.h>

namespace bookbridge::transport {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%C3%BC%c3%bc", false), "\xC3\xBC\xC3\xBC");
  EXPECT_EQ(percent_decode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("abc%4", false));
  EXPECT_FALSE(percent_decode("%zz", false));
  EXPECT_FALSE(percent_decode("%G1", true));
}

TEST(PercentEncode, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b/ü&="), "a%20b%2F%C3%BC%26%3D");
  std::string all;
  for (int c = 0; c < 256; ++c)
    all.push_back(static_cast<char>(c));
  EXPECT_EQ(percent_decode(percent_encode(all), false), all);
}

TEST(ParseQuery, SplitsAndDecodesInOrder) {
  EXPECT_EQ(parse_query("a=1&b=x%20y&c&&d=e+f&a=2"),
            (Pairs{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", "e f"}, {"a", "2"}}));
  EXPECT_EQ(parse_query(""), Pairs{});
  EXPECT_EQ(parse_query("k=v=w"), (Pairs{{"k", "v=w"}}));
  // A malformed escape is passed on raw for the handler to judge.
  EXPECT_EQ(parse_query("bad=%zz"), (Pairs{{"bad", "%zz"}}));
}

TEST(HttpRequest, HeaderLookupIsCaseInsensitiveAndQueryParamTakesFirst) {
  HttpRequest request;
  request.headers["Content-Type"] = "application/json";
  request.query = parse_query("wait=25&wait=3");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(request.header("Authorization"));
  EXPECT_EQ(request.query_param("wait"), "25");
  EXPECT_FALSE(request.query_param("Wait"));
}

TEST(HttpResponse, Factories) {
  auto json = HttpResponse::json(201, "{}");
  EXPECT_EQ(json.status, 201u);
  EXPECT_EQ(json.headers["content-type"], "application/json");
  EXPECT_EQ(HttpResponse::no_content().status, 204u);
  EXPECT_TRUE(HttpResponse::no_content().body.empty());
}

}  // namespace
}  // namespace bookbridge::transport
