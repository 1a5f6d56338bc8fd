#include "config/json_locator.h"

#include <gtest/gtest.h>

namespace bookbridge::agent::config {
namespace {

TEST(JsonLocator, MapsNestedPathsToLines) {
  JsonLocator locator(R"({
  "hub": {
    "url": "https://x"
  },
  "sources": [
    {"name": "a"},
    {
      "name": "b",
      "dataTypes": ["invoices",
                    "bills"]
    }
  ]
})");
  EXPECT_EQ(locator.line_of(""), 1);
  EXPECT_EQ(locator.line_of("hub"), 2);
  EXPECT_EQ(locator.line_of("hub.url"), 3);
  EXPECT_EQ(locator.line_of("sources"), 5);
  EXPECT_EQ(locator.line_of("sources[0]"), 6);
  EXPECT_EQ(locator.line_of("sources[0].name"), 6);
  EXPECT_EQ(locator.line_of("sources[1]"), 7);
  EXPECT_EQ(locator.line_of("sources[1].name"), 8);
  EXPECT_EQ(locator.line_of("sources[1].dataTypes[1]"), 10);
  EXPECT_EQ(locator.line_of("sources[1].missing"), 7) << "falls back to the enclosing object";
  EXPECT_EQ(locator.line_of("nothing.here"), 1);
  EXPECT_TRUE(locator.duplicate_keys().empty());
}

TEST(JsonLocator, SkipsCommentsAndTrickyStrings) {
  JsonLocator locator(
      "// {\"fake\": 1}\n"
      "{ /* \"also\": [\n fake\n ] */\n"
      "  \"a\": \"text with { [ // and /* inside\",\n"
      "  \"b\\\"q\": \"escaped \\\" quote\",\n"
      "  \"c\": 1 // trailing\n"
      "}\n");
  EXPECT_EQ(locator.line_of("a"), 5);
  EXPECT_EQ(locator.line_of("b\"q"), 6);
  EXPECT_EQ(locator.line_of("c"), 7);
  EXPECT_EQ(locator.line_of("fake"), 2) << "unknown: the root's line";
}

TEST(JsonLocator, ReportsDuplicateKeys) {
  JsonLocator locator("{\"a\": 1,\n\"b\": {\"x\": 1, \"x\": 2},\n\"a\": 3}");
  ASSERT_EQ(locator.duplicate_keys().size(), 2u);
  EXPECT_EQ(locator.duplicate_keys()[0], (std::pair<std::string, int>{"b.x", 2}));
  EXPECT_EQ(locator.duplicate_keys()[1], (std::pair<std::string, int>{"a", 3}));
  EXPECT_EQ(locator.line_of("a"), 3) << "the last occurrence counts, as in the parser";
}

TEST(JsonLocator, SurvivesMalformedInput) {
  for (const char* text : {"", "{", "{\"a\"", "[1,", "{\"a\": [}", "}}}", "/* open", "\"x"}) {
    JsonLocator locator(text);
    EXPECT_GE(locator.line_of("a"), 0) << text;
  }
  std::string deep(100000, '[');
  JsonLocator locator(deep);  // no stack overflow
  EXPECT_EQ(locator.line_of(""), 1);
}

TEST(JsonPath, ParentPath) {
  EXPECT_EQ(parent_path("sources[1].path"), "sources[1]");
  EXPECT_EQ(parent_path("sources[1]"), "sources");
  EXPECT_EQ(parent_path("hub.url"), "hub");
  EXPECT_EQ(parent_path("hub"), "");
  EXPECT_EQ(parent_path("sources[1].dataTypes[0]"), "sources[1].dataTypes");
  EXPECT_EQ(parent_path(""), "");
}

}  // namespace
}  // namespace bookbridge::agent::config
