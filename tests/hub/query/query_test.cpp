#include "query/query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bookbridge::hub::query {
namespace {

const nlohmann::json kInvoice = nlohmann::json::parse(R"({
  "id": "inv-1", "status": "PartiallyPaid", "totalAmount": 120.50, "amountDue": 20,
  "issueDate": "2026-03-05T00:00:00", "customerRef": {"id": "c-9", "companyName": "Bob's Bikes"},
  "note": null, "isDirectIncome": true, "lineItems": [{"id": "l1"}]})");

bool match(const std::string& text) {
  auto q = Query::parse(text);
  EXPECT_TRUE(q) << text << ": " << (q ? "" : q.error().message);
  return q && q->matches(kInvoice);
}

TEST(QueryTest, Operators) {
  EXPECT_TRUE(match("status=PartiallyPaid"));
  EXPECT_TRUE(match("status=partiallypaid"));  // case-insensitive equality
  EXPECT_FALSE(match("status!=PartiallyPaid"));
  EXPECT_TRUE(match("status~paid"));
  EXPECT_FALSE(match("status~void"));
  EXPECT_TRUE(match("totalAmount>120"));
  EXPECT_TRUE(match("totalAmount>=120.5"));
  EXPECT_FALSE(match("totalAmount<120.5"));
  EXPECT_TRUE(match("totalAmount<=120.50"));
  EXPECT_TRUE(match("issueDate>2026-03-01"));
  EXPECT_FALSE(match("issueDate>=2026-03-06T00:00:00Z"));
  EXPECT_TRUE(match("isDirectIncome=true"));
}

TEST(QueryTest, CombinationsGroupingAndSubProperties) {
  EXPECT_TRUE(match("customerRef.id=c-9"));
  EXPECT_TRUE(match("customerRef.companyName~bob's"));
  EXPECT_TRUE(match("status=Paid||amountDue>0"));
  EXPECT_FALSE(match("status=Paid&&amountDue>0"));
  // && binds tighter than ||.
  EXPECT_TRUE(match("status=Void&&amountDue>0||id=inv-1"));
  EXPECT_FALSE(match("status=Void&&{amountDue>0||id=inv-1}"));
  EXPECT_TRUE(match("{status=Void||status=PartiallyPaid}&&{totalAmount>100}"));
}

TEST(QueryTest, NullsMissingAndArraysNeverMatchEquality) {
  EXPECT_FALSE(match("note=x"));
  EXPECT_TRUE(match("note!=x"));
  EXPECT_FALSE(match("missing=x"));
  EXPECT_TRUE(match("missing!=x"));
  EXPECT_FALSE(match("lineItems=l1"));
  EXPECT_FALSE(match("totalAmount=abc"));
}

TEST(QueryTest, MalformedQueriesAreRefusedWithCodatText) {
  for (const char* bad : {"", "status", "status=", "=x", "status==", "{status=x", "status=x}",
                          "status=x&&", "a..b=1", ".a=1", "status=x&&{y=1"}) {
    auto q = Query::parse(bad);
    ASSERT_FALSE(q) << bad;
    EXPECT_EQ(q.error().status, 400u);
    EXPECT_EQ(q.error().message.rfind("Error parsing query - ", 0), 0u) << q.error().message;
  }
  EXPECT_FALSE(Query::parse(std::string(3000, 'a') + "=1"));
  EXPECT_FALSE(Query::parse(std::string(100, '{') + "a=1" + std::string(100, '}')));
}

TEST(QueryTest, UnknownPropertyOfAnEntity) {
  auto q = Query::parse(
      "isCompleted=true", [](std::string_view p) { return p == "status" || p == "dataType"; },
      "Dataset");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().message,
            "Error parsing query - Could not resolve property isCompleted on Dataset");
}

}  // namespace
}  // namespace bookbridge::hub::query
