#include "model/record.h"

#include <gtest/gtest.h>

namespace bookbridge::model {
namespace {

TEST(Record, ParsesCodatDateTimes) {
  EXPECT_EQ(parse_datetime("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_datetime("2024-01-31T00:00:00Z"), (Date{2024, 1, 31}));
  EXPECT_EQ(parse_datetime("2024-01-31T23:59:59.123+05:30"), (Date{2024, 1, 31}));
  EXPECT_EQ(parse_datetime("2024-01-31T10:00:00"), (Date{2024, 1, 31}));
  EXPECT_FALSE(parse_datetime("2023-02-29"));
  EXPECT_FALSE(parse_datetime("2024-13-01"));
  EXPECT_FALSE(parse_datetime("2024-01-31T24:00:00Z"));
  EXPECT_FALSE(parse_datetime("2024-01-31 10:00:00"));
  EXPECT_FALSE(parse_datetime("31/01/2024"));
  EXPECT_FALSE(parse_datetime(""));
}

TEST(Record, FormatsDateTimes) {
  EXPECT_EQ(to_datetime(Date{2026, 1, 31}), "2026-01-31T00:00:00Z");
  EXPECT_EQ(to_datetime(Date{2026, 1, 31}, 12, 3, 4), "2026-01-31T12:03:04Z");
  EXPECT_EQ(end_of_month(Date{2024, 2, 3}), (Date{2024, 2, 29}));
  EXPECT_EQ(next_month(Date{2024, 12, 9}), (Date{2025, 1, 1}));
}

TEST(Record, KnowsIso4217Codes) {
  for (const char* code : {"USD", "EUR", "GBP", "JPY", "XXX", "AED", "ZWL"}) {
    EXPECT_TRUE(is_iso4217(code)) << code;
  }
  for (const char* code : {"usd", "US", "ABC", "", "EURO", "BTC"}) {
    EXPECT_FALSE(is_iso4217(code)) << code;
  }
}

TEST(Record, BuildsReferenceShapes) {
  EXPECT_EQ(customer_ref("c1", "Acme").dump(), R"({"companyName":"Acme","id":"c1"})");
  EXPECT_EQ(supplier_ref("v1", "Paper").dump(), R"({"id":"v1","supplierName":"Paper"})");
  EXPECT_EQ(record_ref("i1", "invoices").dump(), R"({"dataType":"invoices","id":"i1"})");
  EXPECT_EQ(account_ref("a1", "Sales").dump(), R"({"id":"a1","name":"Sales"})");
}

}  // namespace
}  // namespace bookbridge::model
