#include "model/decimal.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bookbridge::model {
namespace {

Decimal dec(std::string_view text) {
  auto value = Decimal::parse(text);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(Decimal{});
}

TEST(Decimal, FromRationalWithPowerOfTenDenominatorIsExact) {
  bool exact = false;
  const Decimal value = Decimal::from_rational(-30000, 100, &exact);
  EXPECT_TRUE(exact);
  EXPECT_EQ(value.to_string(), "-300.00");
  EXPECT_EQ(Decimal::from_rational(123456, 100).to_string(), "1234.56");
  EXPECT_EQ(Decimal::from_rational(5, 1).to_string(), "5");
}

TEST(Decimal, FromRationalWithTwosAndFivesIsExact) {
  bool exact = false;
  EXPECT_EQ(Decimal::from_rational(1, 8, &exact).to_string(), "0.125");
  EXPECT_TRUE(exact);
  EXPECT_EQ(Decimal::from_rational(3, 40, &exact).to_string(), "0.075");
  EXPECT_TRUE(exact);
}

TEST(Decimal, FromRationalWithOtherDenominatorRoundsHalfEvenToTenPlaces) {
  bool exact = true;
  EXPECT_EQ(Decimal::from_rational(1, 3, &exact).to_string(), "0.3333333333");
  EXPECT_FALSE(exact);
  EXPECT_EQ(Decimal::from_rational(2, 3).to_string(), "0.6666666667");
  EXPECT_FALSE(Decimal::from_rational(1, 0).valid());
  EXPECT_FALSE(Decimal::from_rational(1, -5).valid());
}

TEST(Decimal, PointOnePlusPointTwoIsExactlyPointThree) {
  const Decimal sum = dec("0.1") + dec("0.2");
  EXPECT_EQ(sum, dec("0.3"));
  EXPECT_EQ(sum.to_string(), "0.3");
  EXPECT_EQ(nlohmann::json(sum).dump(), "0.3");
  // Many small amounts accumulate without drift.
  Decimal total;
  for (int i = 0; i < 100000; ++i) {
    total += dec("0.01");
  }
  EXPECT_EQ(total, dec("1000"));
  EXPECT_EQ(nlohmann::json(total).dump(), "1000");
}

TEST(Decimal, JsonShowsTheExactDecimal) {
  EXPECT_EQ(nlohmann::json(dec("1234.56")).dump(), "1234.56");
  EXPECT_EQ(nlohmann::json(dec("-0.07")).dump(), "-0.07");
  EXPECT_EQ(nlohmann::json(dec("99999999999.99")).dump(), "99999999999.99");
  EXPECT_EQ(nlohmann::json(dec("100.00")).dump(), "100");
  EXPECT_EQ(nlohmann::json(dec("0")).dump(), "0");
  EXPECT_EQ(nlohmann::json(Decimal::from_rational(123456789012345, 100)).dump(),
            "1234567890123.45");
  EXPECT_TRUE(nlohmann::json(Decimal::from_rational(1, 0)).is_null());
}

TEST(Decimal, JsonRoundTripIsExact) {
  for (const char* text : {"1234.56", "0.1", "-5.05", "1e-05", "12345678901.2345", "7"}) {
    const Decimal value = dec(text);
    const auto back = Decimal::from_json(nlohmann::json::parse(nlohmann::json(value).dump()));
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, value) << text;
  }
  EXPECT_FALSE(Decimal::from_json(nlohmann::json("12.5")).has_value());
  EXPECT_FALSE(Decimal::from_json(nlohmann::json(nullptr)).has_value());
}

TEST(Decimal, ParseAcceptsPlainAndExponentForms) {
  EXPECT_EQ(dec("1.5E+3"), dec("1500"));
  EXPECT_EQ(dec("-12"), Decimal::from_int(-12));
  EXPECT_EQ(dec("+0.50").to_string(), "0.50");
  EXPECT_FALSE(Decimal::parse("").has_value());
  EXPECT_FALSE(Decimal::parse("abc").has_value());
  EXPECT_FALSE(Decimal::parse("1.2.3").has_value());
  EXPECT_FALSE(Decimal::parse("1e").has_value());
  EXPECT_FALSE(Decimal::parse("12 ").has_value());
}

TEST(Decimal, CompareIgnoresScale) {
  EXPECT_EQ(dec("1.5"), dec("1.50"));
  EXPECT_LT(dec("-1"), dec("0.001"));
  EXPECT_GT(dec("10.01"), dec("10.001"));
  EXPECT_EQ(dec("2.500").normalized().to_string(), "2.5");
}

TEST(Decimal, MultiplyIsExactAndRoundsOnlyPastMaxScale) {
  EXPECT_EQ((dec("2") * dec("150.00")).to_string(), "300.00");
  EXPECT_EQ((dec("0.1") * dec("0.1")).to_string(), "0.01");
  EXPECT_EQ((dec("1.005") * dec("3")).rounded(2, Rounding::half_up).to_string(), "3.02");
  EXPECT_EQ(dec("2.345").rounded(2, Rounding::half_even).to_string(), "2.34");
  EXPECT_EQ(dec("2.355").rounded(2, Rounding::half_even).to_string(), "2.36");
  EXPECT_EQ(dec("-2.345").rounded(2, Rounding::half_up).to_string(), "-2.35");
  EXPECT_EQ((dec("0.000000001") * dec("0.0000000015")).scale(), Decimal::kMaxScale);
}

TEST(Decimal, DivideRoundsToTheRequestedScale) {
  EXPECT_EQ(dec("110").divide(dec("1.1"), 2).to_string(), "100.00");
  EXPECT_EQ(dec("10").divide(dec("3"), 4).to_string(), "3.3333");
  EXPECT_EQ(dec("-10").divide(dec("4"), 0, Rounding::half_even).to_string(), "-2");
  EXPECT_FALSE(dec("1").divide(dec("0"), 2).valid());
}

TEST(Decimal, OverflowGivesAnInvalidValueInsteadOfCrashing) {
  const Decimal huge = Decimal::from_parts(static_cast<Int128>(1) << 125, 0);
  const Decimal product = huge * huge;
  EXPECT_FALSE(product.valid());
  EXPECT_FALSE((product + dec("1")).valid());
  EXPECT_EQ(product.to_string(), "NaN");
  EXPECT_FALSE((huge + huge + huge + huge).valid());
}

TEST(Decimal, MostNegativeMantissaPrints) {
  const Decimal value = Decimal::from_rational(INT64_MIN, 1);
  EXPECT_EQ(value.to_string(), "-9223372036854775808");
}

}  // namespace
}  // namespace bookbridge::model
