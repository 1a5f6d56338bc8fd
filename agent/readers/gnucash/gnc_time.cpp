#include "readers/gnucash/gnc_time.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace bookbridge::readers::gnucash {
namespace {

bool number(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) {
    return false;
  }
  const auto* first = text.data() + pos;
  const auto [end, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc{} && end == first + len;
}

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

model::Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return {y, m, d};
}

std::int64_t to_epoch(const Timestamp& ts) {
  return days_from_civil(ts.date.year, ts.date.month, ts.date.day) * 86400 + ts.hour * 3600 +
         ts.minute * 60 + ts.second;
}

Timestamp from_epoch(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  return {civil_from_days(days), static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
          static_cast<int>(rest % 60)};
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  Timestamp ts;
  if (text.size() == 14) {  // GnuCash 2.6 SQLite: YYYYMMDDHHMMSS
    if (!number(text, 0, 4, ts.date.year) || !number(text, 4, 2, ts.date.month) ||
        !number(text, 6, 2, ts.date.day) || !number(text, 8, 2, ts.hour) ||
        !number(text, 10, 2, ts.minute) || !number(text, 12, 2, ts.second)) {
      return std::nullopt;
    }
  } else if (text.size() >= 19 && text[4] == '-' && text[7] == '-' && text[10] == ' ' &&
             text[13] == ':' && text[16] == ':') {
    if (!number(text, 0, 4, ts.date.year) || !number(text, 5, 2, ts.date.month) ||
        !number(text, 8, 2, ts.date.day) || !number(text, 11, 2, ts.hour) ||
        !number(text, 14, 2, ts.minute) || !number(text, 17, 2, ts.second)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (!model::is_valid_date(ts.date) || ts.hour > 23 || ts.minute > 59 || ts.second > 60) {
    return std::nullopt;
  }
  std::string_view rest = text.size() > 19 ? text.substr(19) : std::string_view{};
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }
  if (rest.empty() || text.size() == 14) {
    return ts;
  }
  // XML offset "+hhmm" / "-hhmm": local = UTC + offset.
  int hours = 0;
  int minutes = 0;
  if (rest.size() != 5 || (rest[0] != '+' && rest[0] != '-') || !number(rest, 1, 2, hours) ||
      !number(rest, 3, 2, minutes)) {
    return std::nullopt;
  }
  const int offset = (hours * 3600 + minutes * 60) * (rest[0] == '-' ? -1 : 1);
  return from_epoch(to_epoch(ts) - offset);
}

std::string to_sql_text(const Timestamp& ts) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d %02d:%02d:%02d", ts.date.year,
                ts.date.month, ts.date.day, ts.hour, ts.minute, ts.second);
  return buffer.data();
}

model::Date calendar_date(const Timestamp& ts) {
  if (ts.hour == 10 && ts.minute == 59 && ts.second == 0) {
    return ts.date;
  }
  const std::time_t seconds = static_cast<std::time_t>(to_epoch(ts));
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) {
    return ts.date;
  }
  return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::string date_field(std::string_view text) {
  const auto ts = parse_timestamp(text);
  return ts ? model::to_datetime(calendar_date(*ts)) : std::string{};
}

std::string instant_field(std::string_view text) {
  const auto ts = parse_timestamp(text);
  return ts ? model::to_datetime(ts->date, ts->hour, ts->minute, ts->second) : std::string{};
}

}  // namespace bookbridge::readers::gnucash
