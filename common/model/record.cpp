#include "model/record.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace bookbridge::model {
namespace {

// Active ISO 4217 alphabetic codes (2024 list), sorted for binary search, plus the codes
// Codat and GnuCash use for "no currency" / precious metals / special units.
constexpr std::array<std::string_view, 180> kIso4217{
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF",
    "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWL",
};

bool parse_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_valid_date(const Date& date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

Date end_of_month(const Date& date) {
  return {date.year, date.month, days_in_month(date.year, date.month)};
}

Date next_month(const Date& date) {
  return date.month == 12 ? Date{date.year + 1, 1, 1} : Date{date.year, date.month + 1, 1};
}

std::string to_datetime(const Date& date) {
  return to_datetime(date, 0, 0, 0);
}

std::string to_datetime(const Date& date, int hour, int minute, int second) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year,
                date.month, date.day, hour, minute, second);
  return buffer.data();
}

std::optional<Date> parse_datetime(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  Date date;
  if (!is_digits(text.substr(0, 4)) || !is_digits(text.substr(5, 2)) ||
      !is_digits(text.substr(8, 2)) || !parse_int(text.substr(0, 4), date.year) ||
      !parse_int(text.substr(5, 2), date.month) || !parse_int(text.substr(8, 2), date.day) ||
      !is_valid_date(date)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(10);
  if (rest.empty()) {
    return date;
  }
  // THH:MM:SS
  if (rest.size() < 9 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':') {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!is_digits(rest.substr(1, 2)) || !is_digits(rest.substr(4, 2)) ||
      !is_digits(rest.substr(7, 2)) || !parse_int(rest.substr(1, 2), hour) ||
      !parse_int(rest.substr(4, 2), minute) || !parse_int(rest.substr(7, 2), second) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  rest = rest.substr(9);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      ++digits;
    }
    if (digits == 1) {
      return std::nullopt;
    }
    rest = rest.substr(digits);
  }
  if (rest.empty() || rest == "Z") {
    return date;
  }
  // ±hh:mm
  int offset_hours = 0;
  int offset_minutes = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
      is_digits(rest.substr(1, 2)) && is_digits(rest.substr(4, 2)) &&
      parse_int(rest.substr(1, 2), offset_hours) && parse_int(rest.substr(4, 2), offset_minutes) &&
      offset_hours <= 14 && offset_minutes <= 59) {
    return date;
  }
  return std::nullopt;
}

bool is_iso4217(std::string_view code) {
  return std::binary_search(kIso4217.begin(), kIso4217.end(), code);
}

nlohmann::json account_ref(std::string_view id, std::string_view name) {
  return {{"id", id}, {"name", name}};
}

nlohmann::json customer_ref(std::string_view id, std::string_view company_name) {
  return {{"id", id}, {"companyName", company_name}};
}

nlohmann::json supplier_ref(std::string_view id, std::string_view supplier_name) {
  return {{"id", id}, {"supplierName", supplier_name}};
}

nlohmann::json record_ref(std::string_view id, std::string_view data_type) {
  return {{"id", id}, {"dataType", data_type}};
}

nlohmann::json tax_rate_ref(std::string_view id, std::string_view name,
                            const Decimal& effective_tax_rate) {
  return {{"id", id}, {"name", name}, {"effectiveTaxRate", effective_tax_rate.to_json()}};
}

std::optional<Decimal> money_field(const nlohmann::json& record, std::string_view key) {
  if (!record.is_object()) {
    return std::nullopt;
  }
  const auto it = record.find(key);
  if (it == record.end()) {
    return std::nullopt;
  }
  return Decimal::from_json(*it);
}

std::string string_field(const nlohmann::json& record, std::string_view key) {
  if (!record.is_object()) {
    return {};
  }
  const auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace bookbridge::model
