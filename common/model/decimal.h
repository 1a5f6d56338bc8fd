#pragma once

// Exact decimal money. A Decimal is an integer mantissa and a scale (number of decimal places):
// 1234.56 is {123456, 2}. Sums, differences and comparisons are exact; products are exact until
// the scale would pass kMaxScale, and are then rounded half-even. Amounts are never carried in a
// binary double.
//
// JSON guarantee: to_json() writes a JSON number whose shortest round-trip double representation
// IS the exact decimal, for every value with at most 15 significant digits (every money amount
// below 10^13 with two places, for example). nlohmann::json dumps doubles shortest-round-trip,
// so 1234.56 is written "1234.56", never "1234.5599999". Integral values are written as JSON
// integers ("100"). from_json() reads such a number back into the same exact decimal.
//
// Overflow (mantissas beyond 128 bits, scales beyond kMaxScale that cannot be rounded) does not
// crash: the result is an invalid Decimal (valid() == false) that stays invalid through further
// arithmetic, so a caller checks once at the end.

#include <compare>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace bookbridge::model {

__extension__ using Int128 = __int128;  // GCC/Clang extension; silences -Wpedantic
__extension__ using UInt128 = unsigned __int128;

enum class Rounding { half_even, half_up };

class Decimal {
 public:
  static constexpr int kMaxScale = 18;
  /// Places used when a rational's denominator has no exact decimal form (e.g. 1/3).
  static constexpr int kInexactScale = 10;

  constexpr Decimal() = default;
  static Decimal from_int(std::int64_t value) { return Decimal(value, 0); }
  /// Builds mantissa / 10^scale (scale 0..kMaxScale).
  static Decimal from_parts(Int128 mantissa, int scale);
  /// num/denom (GnuCash numeric). Exact when denom is 10^k or any 2^a*5^b that fits in
  /// kMaxScale places; otherwise rounded half-even to kInexactScale places and `*exact` is
  /// set false. denom <= 0 gives an invalid Decimal.
  static Decimal from_rational(std::int64_t num, std::int64_t denom, bool* exact = nullptr);
  /// "-1234.56", "0.1", "12", "1e-05", "1.5E+3". nullopt when the text is not a number.
  static std::optional<Decimal> parse(std::string_view text);
  /// A JSON number (integer or float, see the guarantee above); nullopt for anything else.
  static std::optional<Decimal> from_json(const nlohmann::json& value);

  bool valid() const { return valid_; }
  Int128 mantissa() const { return mantissa_; }
  int scale() const { return scale_; }
  int sign() const { return mantissa_ > 0 ? 1 : (mantissa_ < 0 ? -1 : 0); }
  bool is_zero() const { return valid_ && mantissa_ == 0; }

  Decimal operator-() const;
  Decimal operator+(const Decimal& other) const;
  Decimal operator-(const Decimal& other) const;
  Decimal& operator+=(const Decimal& other) { return *this = *this + other; }
  Decimal& operator-=(const Decimal& other) { return *this = *this - other; }
  /// Exact product (scales add); rounded half-even when the scale would exceed kMaxScale.
  Decimal operator*(const Decimal& other) const;
  /// this / other rounded to `scale` places. Division by zero gives an invalid Decimal.
  Decimal divide(const Decimal& other, int scale, Rounding mode = Rounding::half_even) const;
  /// Rounded (or exactly extended) to `scale` places.
  Decimal rounded(int scale, Rounding mode = Rounding::half_even) const;
  /// The same value with trailing fractional zeros removed (1.50 -> 1.5, 2.00 -> 2).
  Decimal normalized() const;

  /// Compares values (1.5 == 1.50). Invalid decimals compare equal only to each other.
  bool operator==(const Decimal& other) const;
  std::strong_ordering operator<=>(const Decimal& other) const;

  /// Plain notation, never an exponent, keeping the scale: "-1234.50", "0.001". "NaN" if invalid.
  std::string to_string() const;
  /// JSON number (see the guarantee above); null when invalid.
  nlohmann::json to_json() const;

 private:
  constexpr Decimal(Int128 mantissa, int scale) : mantissa_(mantissa), scale_(scale) {}
  static Decimal invalid();

  Int128 mantissa_ = 0;
  int scale_ = 0;
  bool valid_ = true;
};

/// nlohmann ADL hook: `json j = decimal;`
void to_json(nlohmann::json& out, const Decimal& value);

}  // namespace bookbridge::model
