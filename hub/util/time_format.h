#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookbridge::hub {

/// "2026-11-28T12:00:00.123Z" (ISO 8601, UTC, fixed width so text order is time order).
std::string format_iso(std::int64_t epoch_ms);

/// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff...]" with an optional "Z" or "+hh:mm"/"-hh:mm"
/// (no zone = UTC). Returns epoch milliseconds.
std::optional<std::int64_t> parse_iso(std::string_view text);

}  // namespace bookbridge::hub
