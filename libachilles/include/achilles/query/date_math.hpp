#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace achilles {

// Which end of a range a date expression bounds. Elasticsearch rounds an
// `lte` bound up (a date without a time, or `now/d`, includes the whole unit)
// and a `gte` bound down; we do the same (D4).
enum class RangeEdge { Lower, Upper };

// Resolves what Elasticsearch accepts in a `routing.event_time` range with the
// default format `strict_date_optional_time||epoch_millis`, plus date math:
//   2026-04-23, 2026-04, 2026, 2026-04-23T10:15, 2026-04-23T10:15:30.123Z,
//   2026-04-23T10:15:30+02:00, 1745400000000, now, now-30d, now-30d/d,
//   now-1M/M+2h, 2026-04-23||+1d/d
// Units: y M w d h H m s (M = calendar month, m = minute). All in UTC.
// Returns epoch milliseconds, or nullopt when the text is not a date or
// names a time outside 1970-01-01 .. 9999-12-31 (all the arithmetic is
// checked: `now+99999999y` is refused, never an overflow).
std::optional<std::int64_t> resolve_date_bound(std::string_view text, RangeEdge edge,
                                               std::int64_t now_ms);

// The times a result document may carry, and a date bound may name.
inline constexpr std::int64_t kEarliestTimeMs = 0;                  // 1970-01-01T00:00:00.000Z
inline constexpr std::int64_t kLatestTimeMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
constexpr bool within_time_range(std::int64_t ms) { return ms >= kEarliestTimeMs && ms <= kLatestTimeMs; }

// Calendar helpers shared by date math, histograms and the demo generator.
constexpr std::int64_t kMillisPerDay = 86'400'000;
// Division rounding toward negative infinity (times before 1970 stay in their day).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t start_of_day(std::int64_t epoch_ms) { return floor_div(epoch_ms, kMillisPerDay) * kMillisPerDay; }
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
// A proleptic Gregorian calendar date.
struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate civil_from_days(std::int64_t days);

// ISO-8601 with milliseconds and `Z`, e.g. 2026-11-23T09:05:00.000Z.
std::string format_iso_millis(std::int64_t epoch_ms);

}  // namespace achilles
