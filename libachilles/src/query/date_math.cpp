#include "achilles/query/date_math.hpp"

#include <cctype>
#include <fmt/format.h>

namespace achilles {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (m == 2 && leap) ? 29 : kDays[m - 1];
}

struct OutOfRange {};

// A broken-down UTC time, used for calendar-aware arithmetic.
struct Moment {
  std::int64_t year;
  unsigned month, day;
  std::int64_t ms_of_day;

  static Moment from_ms(std::int64_t ms) {
    const std::int64_t days = floor_div(ms, kDay);
    const CivilDate c = civil_from_days(days);
    return {c.year, c.month, c.day, ms - days * kDay};
  }
  // Years beyond what a date may name stop the arithmetic before it can overflow.
  std::int64_t to_ms() const {
    if (year < 1 || year > 9999) throw OutOfRange{};
    return days_from_civil(year, month, day) * kDay + ms_of_day;
  }
};

std::int64_t add_months(std::int64_t ms, std::int64_t months) {
  Moment m = Moment::from_ms(ms);
  if (months > 12 * 10'000 || months < -12 * 10'000) throw OutOfRange{};
  std::int64_t index = m.year * 12 + (m.month - 1) + months;
  m.year = floor_div(index, 12);
  m.month = static_cast<unsigned>(index - m.year * 12) + 1;
  m.day = std::min(m.day, days_in_month(m.year, m.month));
  return m.to_ms();
}

std::optional<std::int64_t> unit_millis(char unit) {
  switch (unit) {
    case 'w': return 7 * kDay;
    case 'd': return kDay;
    case 'h':
    case 'H': return kHour;
    case 'm': return kMinute;
    case 's': return kSecond;
    default: return std::nullopt;
  }
}

// Every step stays within the years a date may name (and far from int64's
// limits), so no chain of steps can overflow or wrap back into range.
constexpr std::int64_t kStepBound = 400'000'000'000'000;  // ~12,700 years of milliseconds

std::int64_t checked(std::int64_t ms) {
  if (ms > kStepBound || ms < -kStepBound) throw OutOfRange{};
  return ms;
}

std::int64_t add_units(std::int64_t ms, std::int64_t n, char unit) {
  if (unit == 'y') return checked(add_months(ms, n * 12));
  if (unit == 'M') return checked(add_months(ms, n));
  std::int64_t delta = 0, sum = 0;
  if (__builtin_mul_overflow(n, *unit_millis(unit), &delta) || __builtin_add_overflow(checked(ms), delta, &sum))
    throw OutOfRange{};
  return checked(sum);
}

// Start of the unit containing `ms`.
std::int64_t round_down(std::int64_t ms, char unit) {
  Moment m = Moment::from_ms(ms);
  switch (unit) {
    case 'y': return Moment{m.year, 1, 1, 0}.to_ms();
    case 'M': return Moment{m.year, m.month, 1, 0}.to_ms();
    case 'w': {
      // ISO weeks start on Monday; 1970-01-01 was a Thursday.
      const std::int64_t days = floor_div(ms, kDay);
      const std::int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
      return (days - weekday) * kDay;
    }
    default: {
      const std::int64_t unit_ms = *unit_millis(unit);
      return floor_div(ms, unit_ms) * unit_ms;
    }
  }
}

bool is_unit(char c) { return c == 'y' || c == 'M' || unit_millis(c).has_value(); }

// Applies "+1d", "-30d", "/d" ... in order. Rounding follows the range edge.
std::optional<std::int64_t> apply_math(std::int64_t ms, std::string_view math, RangeEdge edge) {
  std::size_t i = 0;
  while (i < math.size()) {
    const char op = math[i++];
    if (op == '/') {
      if (i >= math.size() || !is_unit(math[i])) return std::nullopt;
      const char unit = math[i++];
      ms = round_down(ms, unit);
      if (edge == RangeEdge::Upper) ms = add_units(ms, 1, unit) - 1;
    } else if (op == '+' || op == '-') {
      std::int64_t n = 0;
      std::size_t digits = 0;
      while (i < math.size() && std::isdigit(static_cast<unsigned char>(math[i]))) {
        if (++digits > 9) return std::nullopt;
        n = n * 10 + (math[i++] - '0');
      }
      if (digits == 0) n = 1;
      if (i >= math.size() || !is_unit(math[i])) return std::nullopt;
      ms = add_units(ms, op == '+' ? n : -n, math[i++]);
    } else {
      return std::nullopt;
    }
  }
  return ms;
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  bool take(char c) {
    if (!done() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  std::optional<unsigned> digits(std::size_t count) {
    if (i + count > s.size()) return std::nullopt;
    unsigned v = 0;
    for (std::size_t k = 0; k < count; ++k) {
      const char c = s[i + k];
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    i += count;
    return v;
  }
};

// strict_date_optional_time: missing trailing parts take their minimum for a
// lower bound and their maximum for an upper bound (how ES fills `lte`).
std::optional<std::int64_t> parse_calendar(std::string_view text, RangeEdge edge) {
  Cursor c{text};
  auto year = c.digits(4);
  if (!year) return std::nullopt;
  unsigned month = 1, day = 1;
  char precision = 'y';
  std::int64_t ms_of_day = 0;
  if (c.take('-')) {
    auto mo = c.digits(2);
    if (!mo || *mo < 1 || *mo > 12) return std::nullopt;
    month = *mo;
    precision = 'M';
    if (c.take('-')) {
      auto d = c.digits(2);
      if (!d || *d < 1 || *d > days_in_month(*year, month)) return std::nullopt;
      day = *d;
      precision = 'd';
      if (c.take('T') || c.take('t')) {
        auto h = c.digits(2);
        if (!h || *h > 23) return std::nullopt;
        ms_of_day = *h * kHour;
        precision = 'h';
        if (c.take(':')) {
          auto mi = c.digits(2);
          if (!mi || *mi > 59) return std::nullopt;
          ms_of_day += *mi * kMinute;
          precision = 'm';
          if (c.take(':')) {
            auto se = c.digits(2);
            if (!se || *se > 59) return std::nullopt;
            ms_of_day += *se * kSecond;
            precision = 's';
            if (c.take('.') || c.take(',')) {
              std::size_t n = 0;
              std::int64_t frac_ms = 0;
              while (!c.done() && std::isdigit(static_cast<unsigned char>(c.s[c.i]))) {
                if (n < 3) frac_ms = frac_ms * 10 + (c.s[c.i] - '0');
                ++n;
                ++c.i;
              }
              if (n == 0 || n > 9) return std::nullopt;
              for (std::size_t k = n; k < 3; ++k) frac_ms *= 10;
              ms_of_day += frac_ms;
              precision = 'S';
            }
          }
        }
      }
    }
  }
  std::int64_t offset_ms = 0;
  if (c.take('Z') || c.take('z')) {
  } else if (!c.done() && (c.s[c.i] == '+' || c.s[c.i] == '-')) {
    if (precision == 'y' || precision == 'M' || precision == 'd') return std::nullopt;
    const bool negative = c.s[c.i++] == '-';
    auto oh = c.digits(2);
    if (!oh || *oh > 18) return std::nullopt;
    unsigned om = 0;
    if (c.take(':')) {
      auto v = c.digits(2);
      if (!v) return std::nullopt;
      om = *v;
    } else if (!c.done()) {
      auto v = c.digits(2);
      if (!v) return std::nullopt;
      om = *v;
    }
    if (om > 59) return std::nullopt;
    offset_ms = (negative ? -1 : 1) * (static_cast<std::int64_t>(*oh) * kHour + om * kMinute);
  }
  if (!c.done()) return std::nullopt;

  std::int64_t ms = Moment{*year, month, day, ms_of_day}.to_ms() - offset_ms;
  // Elasticsearch parses an `lte` date with its missing parts defaulted
  // (month and day to 1, the time to 23:59:59.999): `2026` ends on
  // 2026-01-01T23:59:59.999Z and `2026-04` on 2026-04-01T23:59:59.999Z, not
  // at the end of the year or month (D4: its range semantics, exactly).
  if (edge == RangeEdge::Upper && precision != 'S') {
    const char filled = (precision == 'y' || precision == 'M') ? 'd' : precision;
    ms = add_units(ms, 1, filled) - 1;
  }
  return ms;
}

std::optional<std::int64_t> parse_anchor(std::string_view text, RangeEdge edge) {
  if (text.empty()) return std::nullopt;
  const bool all_digits = text.find_first_not_of("0123456789") == std::string_view::npos ||
                          (text[0] == '-' && text.size() > 1 &&
                           text.find_first_not_of("0123456789", 1) == std::string_view::npos);
  // ES tries the calendar format first: a bare four-digit number is a year.
  if (all_digits && !(text.size() == 4 && text[0] != '-')) {
    if (text.size() > 16) return std::nullopt;
    return std::stoll(std::string(text));
  }
  return parse_calendar(text, edge);
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::string format_iso_millis(std::int64_t epoch_ms) {
  const std::int64_t days = floor_div(epoch_ms, kDay);
  const std::int64_t rest = epoch_ms - days * kDay;
  const CivilDate c = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day,
                     rest / kHour, rest % kHour / kMinute, rest % kMinute / kSecond, rest % kSecond);
}

static std::optional<std::int64_t> resolve_date_bound_unchecked(std::string_view text, RangeEdge edge,
                                                                std::int64_t now_ms) {
  if (text.substr(0, 3) == "now") return apply_math(now_ms, text.substr(3), edge);
  const auto bars = text.find("||");
  if (bars != std::string_view::npos) {
    // The anchor is exact; only the math after `||` rounds.
    auto anchor = parse_anchor(text.substr(0, bars), RangeEdge::Lower);
    if (!anchor) return std::nullopt;
    return apply_math(*anchor, text.substr(bars + 2), edge);
  }
  return parse_anchor(text, edge);
}

std::optional<std::int64_t> resolve_date_bound(std::string_view text, RangeEdge edge, std::int64_t now_ms) {
  try {
    auto ms = resolve_date_bound_unchecked(text, edge, now_ms);
    if (ms && !within_time_range(*ms)) return std::nullopt;
    return ms;
  } catch (const OutOfRange&) {
    return std::nullopt;
  }
}

}  // namespace achilles
