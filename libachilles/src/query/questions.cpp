#include "achilles/query/questions.hpp"

#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

}  // namespace

std::optional<CalendarInterval> calendar_interval_from(std::string_view t) {
  if (t == "minute" || t == "1m") return CalendarInterval::Minute;
  if (t == "hour" || t == "1h") return CalendarInterval::Hour;
  if (t == "day" || t == "1d") return CalendarInterval::Day;
  if (t == "week" || t == "1w") return CalendarInterval::Week;
  if (t == "month" || t == "1M") return CalendarInterval::Month;
  if (t == "quarter" || t == "1q") return CalendarInterval::Quarter;
  if (t == "year" || t == "1y") return CalendarInterval::Year;
  return std::nullopt;
}

std::string too_many_buckets_message(std::size_t max_buckets) {
  return "interval, from, to: the answer would have more than " + std::to_string(max_buckets) +
         " points; choose a longer interval or a shorter from/to";
}

std::int64_t interval_start(std::int64_t ms, CalendarInterval interval) {
  switch (interval) {
    case CalendarInterval::Minute: return floor_div(ms, kMinute) * kMinute;
    case CalendarInterval::Hour: return floor_div(ms, kHour) * kHour;
    case CalendarInterval::Day: return floor_div(ms, kDay) * kDay;
    case CalendarInterval::Week: {
      const std::int64_t days = floor_div(ms, kDay);
      const std::int64_t monday_offset = ((days % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday
      return (days - monday_offset) * kDay;
    }
    default: {
      const CivilDate c = civil_from_days(floor_div(ms, kDay));
      unsigned month = c.month;
      if (interval == CalendarInterval::Quarter) month = (c.month - 1) / 3 * 3 + 1;
      if (interval == CalendarInterval::Year) month = 1;
      return days_from_civil(c.year, month, 1) * kDay;
    }
  }
}

std::int64_t next_interval_start(std::int64_t start, CalendarInterval interval) {
  switch (interval) {
    case CalendarInterval::Minute: return start + kMinute;
    case CalendarInterval::Hour: return start + kHour;
    case CalendarInterval::Day: return start + kDay;
    case CalendarInterval::Week: return start + 7 * kDay;
    default: {
      const CivilDate c = civil_from_days(floor_div(start, kDay));
      const unsigned step = interval == CalendarInterval::Month ? 1 : interval == CalendarInterval::Quarter ? 3 : 12;
      const std::int64_t index = c.year * 12 + (c.month - 1) + step;
      return days_from_civil(floor_div(index, 12), static_cast<unsigned>(index - floor_div(index, 12) * 12) + 1, 1) * kDay;
    }
  }
}

std::optional<SortField> sort_field_from(std::string_view t) {
  if (t == "routing.event_time") return SortField::EventTime;
  if (t == "f0rtika.test_name") return SortField::TestName;
  if (t == "routing.hostname") return SortField::Hostname;
  if (t == "f0rtika.is_protected") return SortField::IsProtected;
  if (t == "f0rtika.severity") return SortField::Severity;
  if (t == "f0rtika.category") return SortField::Category;
  if (t == "f0rtika.threat_actor") return SortField::ThreatActor;
  if (t == "f0rtika.complexity") return SortField::Complexity;
  if (t == "f0rtika.score") return SortField::Score;
  return std::nullopt;
}

}  // namespace achilles
