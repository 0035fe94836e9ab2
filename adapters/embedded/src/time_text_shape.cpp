#include "time_text_shape.hpp"

#include <fmt/format.h>

#include "achilles/query/date_math.hpp"

namespace achilles::embedded {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 86'400'000;

// Bits: 0-3 fraction digits (0-9); 4 zone is an offset (else Z); 5-16 the
// offset in minutes + 2048; 17-36 the digits below the millisecond (fewer
// than 10^6); 37 set, so that no shape is 0.
constexpr std::uint64_t kPresent = 1ull << 37;

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

}  // namespace

std::string TimeTextShape::text(std::uint64_t shape, std::int64_t epoch_ms) {
  const int digits = static_cast<int>(shape & 0xF);
  const bool offset = (shape >> 4) & 1;
  const std::int64_t offset_minutes = static_cast<std::int64_t>((shape >> 5) & 0xFFF) - 2048;
  const std::int64_t below_ms = static_cast<std::int64_t>((shape >> 17) & 0xFFFFF);
  const std::int64_t local = epoch_ms + (offset ? offset_minutes * kMinuteMs : 0);
  const std::int64_t days = floor_div(local, kDayMs);
  const std::int64_t rest = local - days * kDayMs;
  const CivilDate c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, rest / 3'600'000,
                                rest % 3'600'000 / kMinuteMs, rest % kMinuteMs / 1000);
  if (digits > 0) {
    // Nanoseconds: the millisecond's three digits, then the ones below it.
    const int below_digits = digits > 3 ? digits - 3 : 0;
    const std::int64_t nanos = (rest % 1000) * 1'000'000 + below_ms * pow10(6 - below_digits);
    out += fmt::format(".{:09}", nanos).substr(0, static_cast<std::size_t>(digits) + 1);
  }
  if (!offset) {
    out += 'Z';
  } else {
    const std::int64_t m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    out += fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
  }
  return out;
}

std::optional<std::uint64_t> TimeTextShape::of(std::string_view text, std::int64_t epoch_ms) {
  // YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)
  if (text.size() < 20 || text[10] != 'T') return std::nullopt;
  std::size_t i = 19;
  int digits = 0;
  std::int64_t below_ms = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++digits > 9) return std::nullopt;
      if (digits > 3) below_ms = below_ms * 10 + (text[i] - '0');
      ++i;
    }
    if (digits == 0) return std::nullopt;
  }
  std::uint64_t shape = kPresent | static_cast<std::uint64_t>(digits);
  const std::string_view zone = text.substr(i);
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
    auto two = [&](std::size_t at) { return (zone[at] - '0') * 10 + (zone[at + 1] - '0'); };
    for (std::size_t at : {1u, 2u, 4u, 5u})
      if (zone[at] < '0' || zone[at] > '9') return std::nullopt;
    std::int64_t minutes = two(1) * 60 + two(4);
    if (minutes > 2047) return std::nullopt;
    if (zone[0] == '-') minutes = -minutes;
    shape |= 1u << 4 | static_cast<std::uint64_t>(minutes + 2048) << 5;
  }
  shape |= static_cast<std::uint64_t>(below_ms) << 17;
  // Kept only when it gives back exactly the text it came from.
  if (TimeTextShape::text(shape, epoch_ms) != text) return std::nullopt;
  return shape;
}

}  // namespace achilles::embedded
