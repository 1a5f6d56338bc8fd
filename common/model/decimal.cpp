#include "model/decimal.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace bookbridge::model {
namespace {

constexpr int kMaxPow = 38;

constexpr std::array<Int128, kMaxPow + 1> make_powers() {
  std::array<Int128, kMaxPow + 1> powers{};
  powers[0] = 1;
  for (std::size_t i = 1; i < powers.size(); ++i) {
    powers[i] = powers[i - 1] * 10;
  }
  return powers;
}
constexpr auto kPow10 = make_powers();

bool checked_mul(Int128 a, Int128 b, Int128& out) {
  return !__builtin_mul_overflow(a, b, &out);
}
bool checked_add(Int128 a, Int128 b, Int128& out) {
  return !__builtin_add_overflow(a, b, &out);
}

// Divides `value` by `divisor` (> 0), rounding the quotient as `mode` says.
Int128 divide_rounded(Int128 value, Int128 divisor, Rounding mode) {
  Int128 quotient = value / divisor;
  Int128 remainder = value % divisor;
  if (remainder == 0) {
    return quotient;
  }
  const Int128 abs_rem2 = (remainder < 0 ? -remainder : remainder) * 2;  // divisor < 2^126
  const bool negative = value < 0;
  bool away = false;
  if (abs_rem2 > divisor) {
    away = true;
  } else if (abs_rem2 == divisor) {
    away = mode == Rounding::half_up || (quotient % 2 != 0);
  }
  if (away) {
    quotient += negative ? -1 : 1;
  }
  return quotient;
}

}  // namespace

Decimal Decimal::invalid() {
  Decimal result;
  result.valid_ = false;
  return result;
}

Decimal Decimal::from_parts(Int128 mantissa, int scale) {
  if (scale < 0 || scale > kMaxScale) {
    return invalid();
  }
  return Decimal(mantissa, scale);
}

Decimal Decimal::from_rational(std::int64_t num, std::int64_t denom, bool* exact) {
  if (exact != nullptr) {
    *exact = true;
  }
  if (denom <= 0) {
    return invalid();
  }
  // denom = 2^a * 5^b  <=>  denom divides 10^k for k = max(a, b).
  for (int k = 0; k <= kMaxScale; ++k) {
    if (kPow10[k] % denom == 0) {
      return Decimal(static_cast<Int128>(num) * (kPow10[k] / denom), k);
    }
  }
  if (exact != nullptr) {
    *exact = false;
  }
  const Int128 scaled = static_cast<Int128>(num) * kPow10[kInexactScale];
  return Decimal(divide_rounded(scaled, denom, Rounding::half_even), kInexactScale);
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  Int128 mantissa = 0;
  int scale = 0;
  int digits = 0;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      break;
    }
    if (!checked_mul(mantissa, 10, mantissa) || !checked_add(mantissa, c - '0', mantissa)) {
      return std::nullopt;
    }
    ++digits;
    if (seen_point) {
      ++scale;
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  int exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    const auto* first = text.data() + pos;
    if (pos < text.size() && text[pos] == '+') {
      ++first;
    }
    const auto [end, ec] = std::from_chars(first, text.data() + text.size(), exponent);
    if (ec != std::errc{} || end == first) {
      return std::nullopt;
    }
    pos = static_cast<std::size_t>(end - text.data());
  }
  if (pos != text.size() || exponent < -kMaxPow || exponent > kMaxPow) {
    return std::nullopt;
  }
  scale -= exponent;
  if (scale < 0) {
    if (!checked_mul(mantissa, kPow10[-scale], mantissa)) {
      return std::nullopt;
    }
    scale = 0;
  }
  if (negative) {
    mantissa = -mantissa;
  }
  while (scale > kMaxScale) {
    mantissa = divide_rounded(mantissa, 10, Rounding::half_even);
    --scale;
  }
  return Decimal(mantissa, scale);
}

std::optional<Decimal> Decimal::from_json(const nlohmann::json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      return Decimal(static_cast<Int128>(value.get<std::uint64_t>()), 0);
    }
    return from_int(value.get<std::int64_t>());
  }
  if (value.is_number_float()) {
    // The shortest text that round-trips to this double: the decimal the writer meant.
    std::array<char, 64> buffer{};
    const auto [end, ec] =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value.get<double>());
    if (ec != std::errc{}) {
      return std::nullopt;
    }
    return parse(std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data())));
  }
  return std::nullopt;
}

Decimal Decimal::operator-() const {
  if (!valid_) {
    return *this;
  }
  return Decimal(-mantissa_, scale_);
}

Decimal Decimal::operator+(const Decimal& other) const {
  if (!valid_ || !other.valid_) {
    return invalid();
  }
  const int scale = std::max(scale_, other.scale_);
  Int128 a = 0;
  Int128 b = 0;
  Int128 sum = 0;
  if (!checked_mul(mantissa_, kPow10[scale - scale_], a) ||
      !checked_mul(other.mantissa_, kPow10[scale - other.scale_], b) || !checked_add(a, b, sum)) {
    return invalid();
  }
  return Decimal(sum, scale);
}

Decimal Decimal::operator-(const Decimal& other) const {
  return *this + (-other);
}

Decimal Decimal::operator*(const Decimal& other) const {
  if (!valid_ || !other.valid_) {
    return invalid();
  }
  Int128 product = 0;
  if (!checked_mul(mantissa_, other.mantissa_, product)) {
    return invalid();
  }
  int scale = scale_ + other.scale_;
  if (scale > kMaxScale) {
    product = divide_rounded(product, kPow10[scale - kMaxScale], Rounding::half_even);
    scale = kMaxScale;
  }
  return Decimal(product, scale);
}

Decimal Decimal::divide(const Decimal& other, int scale, Rounding mode) const {
  if (!valid_ || !other.valid_ || other.mantissa_ == 0 || scale < 0 || scale > kMaxScale) {
    return invalid();
  }
  // (m1 / 10^s1) / (m2 / 10^s2) = m1 * 10^(scale + s2 - s1) / m2, at `scale` places.
  const int shift = scale + other.scale_ - scale_;
  Int128 numerator = mantissa_;
  Int128 denominator = other.mantissa_;
  if (shift >= 0) {
    if (!checked_mul(numerator, kPow10[shift], numerator)) {
      return invalid();
    }
  } else if (!checked_mul(denominator, kPow10[-shift], denominator)) {
    return invalid();
  }
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  return Decimal(divide_rounded(numerator, denominator, mode), scale);
}

Decimal Decimal::rounded(int scale, Rounding mode) const {
  if (!valid_ || scale < 0 || scale > kMaxScale) {
    return invalid();
  }
  if (scale >= scale_) {
    Int128 mantissa = 0;
    if (!checked_mul(mantissa_, kPow10[scale - scale_], mantissa)) {
      return invalid();
    }
    return Decimal(mantissa, scale);
  }
  return Decimal(divide_rounded(mantissa_, kPow10[scale_ - scale], mode), scale);
}

Decimal Decimal::normalized() const {
  if (!valid_) {
    return *this;
  }
  Decimal result = *this;
  while (result.scale_ > 0 && result.mantissa_ % 10 == 0) {
    result.mantissa_ /= 10;
    --result.scale_;
  }
  return result;
}

bool Decimal::operator==(const Decimal& other) const {
  return (*this <=> other) == std::strong_ordering::equal;
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  if (!valid_ || !other.valid_) {
    return valid_ == other.valid_
               ? std::strong_ordering::equal
               : (valid_ ? std::strong_ordering::greater : std::strong_ordering::less);
  }
  const Decimal difference = *this - other;
  if (!difference.valid_) {
    // Scaling overflowed: compare by sign, then by magnitude of the integral parts.
    if (sign() != other.sign()) {
      return sign() <=> other.sign();
    }
    const Int128 a = mantissa_ / kPow10[scale_];
    const Int128 b = other.mantissa_ / kPow10[other.scale_];
    return a < b ? std::strong_ordering::less
                 : (a > b ? std::strong_ordering::greater : std::strong_ordering::equal);
  }
  return difference.sign() <=> 0;
}

std::string Decimal::to_string() const {
  if (!valid_) {
    return "NaN";
  }
  const bool negative = mantissa_ < 0;
  // Work on the magnitude as unsigned to cover the most negative mantissa.
  UInt128 magnitude =
      negative ? static_cast<UInt128>(-(mantissa_ + 1)) + 1 : static_cast<UInt128>(mantissa_);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale_ > 0) {
    if (static_cast<int>(digits.size()) <= scale_) {
      digits.insert(0, static_cast<std::size_t>(scale_) - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - static_cast<std::size_t>(scale_), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

nlohmann::json Decimal::to_json() const {
  if (!valid_) {
    return nullptr;
  }
  const Decimal plain = normalized();
  if (plain.scale_ == 0 && plain.mantissa_ >= INT64_MIN && plain.mantissa_ <= INT64_MAX) {
    return static_cast<std::int64_t>(plain.mantissa_);
  }
  // strtod rounds correctly, so for <= 15 significant digits the nearest double prints back
  // (shortest round-trip) as exactly these digits.
  const std::string text = plain.to_string();
  return std::strtod(text.c_str(), nullptr);
}

void to_json(nlohmann::json& out, const Decimal& value) {
  out = value.to_json();
}

}  // namespace bookbridge::model
