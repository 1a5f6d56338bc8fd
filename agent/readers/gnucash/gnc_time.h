#pragma once

// GnuCash timestamps. SQLite books store "YYYY-MM-DD HH:MM:SS" (UTC; GnuCash 2.6 wrote
// "YYYYMMDDHHMMSS"); XML books store "YYYY-MM-DD HH:MM:SS +hhmm". The staging database keeps the
// SQLite form, in UTC.

#include <optional>
#include <string>
#include <string_view>

#include "model/record.h"

namespace bookbridge::readers::gnucash {

struct Timestamp {
  model::Date date;  ///< UTC
  int hour = 0;
  int minute = 0;
  int second = 0;
};

/// Parses any of the three forms above (an offset is applied to give UTC).
std::optional<Timestamp> parse_timestamp(std::string_view text);
/// "YYYY-MM-DD HH:MM:SS" (the staging form).
std::string to_sql_text(const Timestamp& ts);
/// The calendar date a person meant. GnuCash stores posted dates at 10:59:00 UTC ("neutral
/// time"), which is the same calendar day in nearly every zone: take it as is. Any other time is
/// a real instant (local midnight where the book was edited): convert it to this machine's local
/// zone first (readers.md §1.2).
model::Date calendar_date(const Timestamp& ts);
/// Codat DateTime of the calendar date, "" when `text` is empty or unparsable.
std::string date_field(std::string_view text);
/// Codat DateTime of the UTC instant, "" when `text` is empty or unparsable.
std::string instant_field(std::string_view text);

}  // namespace bookbridge::readers::gnucash
