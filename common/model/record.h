#pragma once

// Small helpers for building and reading standard-model records (Codat shapes,
// ../shared/reference/codat-api.md §2). Records stay plain nlohmann::json objects; these helpers
// only spell the shared shapes (refs, addresses, dates, ISO 4217 codes) once.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/decimal.h"

namespace bookbridge::model {

/// A calendar date (proleptic Gregorian).
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const Date&) const = default;
};

bool is_valid_date(const Date& date);
int days_in_month(int year, int month);
/// The last day of date's month.
Date end_of_month(const Date& date);
/// First day of the next month.
Date next_month(const Date& date);

/// Codat DateTime for a calendar date: "2026-01-31T00:00:00Z".
std::string to_datetime(const Date& date);
/// Codat DateTime for a UTC instant: "2026-01-31T12:34:56Z".
std::string to_datetime(const Date& date, int hour, int minute, int second);

/// Parses a Codat DateTime (§1.12): "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff][Z|±hh:mm]". Checks
/// that the calendar date and time of day exist. Returns the calendar date as written.
std::optional<Date> parse_datetime(std::string_view text);

/// True for an active ISO 4217 alphabetic code (plus XXX, "no currency", which Codat uses).
bool is_iso4217(std::string_view code);

// Reference shapes (codat-api.md §2 "Reference shapes").
nlohmann::json account_ref(std::string_view id, std::string_view name);
nlohmann::json customer_ref(std::string_view id, std::string_view company_name);
nlohmann::json supplier_ref(std::string_view id, std::string_view supplier_name);
nlohmann::json record_ref(std::string_view id, std::string_view data_type);
nlohmann::json tax_rate_ref(std::string_view id, std::string_view name,
                            const Decimal& effective_tax_rate);

/// Reads a money field of a record; nullopt when absent, null or not a number.
std::optional<Decimal> money_field(const nlohmann::json& record, std::string_view key);
/// Reads a string field; "" when absent or not a string.
std::string string_field(const nlohmann::json& record, std::string_view key);

}  // namespace bookbridge::model
