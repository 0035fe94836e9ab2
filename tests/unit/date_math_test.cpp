#include <catch2/catch.hpp>

#include "achilles/query/date_math.hpp"

using namespace achilles;

namespace {
// 2025-01-20T12:34:56.789Z
constexpr std::int64_t kNow = 1737376496789;
std::int64_t at(const char* iso) { return *resolve_date_bound(iso, RangeEdge::Lower, 0); }
}  // namespace

TEST_CASE("date bounds resolve like Elasticsearch range values", "[date]") {
  struct Row {
    const char* text;
    RangeEdge edge;
    const char* expected;
  };
  const Row rows[] = {
      {"now", RangeEdge::Lower, "2025-01-20T12:34:56.789Z"},
      {"now-30d", RangeEdge::Lower, "2024-12-21T12:34:56.789Z"},
      {"now-30d/d", RangeEdge::Lower, "2024-12-21T00:00:00.000Z"},
      {"now-30d/d", RangeEdge::Upper, "2024-12-21T23:59:59.999Z"},
      {"now/d", RangeEdge::Upper, "2025-01-20T23:59:59.999Z"},
      {"now-1M", RangeEdge::Lower, "2024-12-20T12:34:56.789Z"},
      {"now-1M/M", RangeEdge::Lower, "2024-12-01T00:00:00.000Z"},
      {"now-1y", RangeEdge::Lower, "2024-01-20T12:34:56.789Z"},
      {"now-2h", RangeEdge::Lower, "2025-01-20T10:34:56.789Z"},
      {"now-2H", RangeEdge::Lower, "2025-01-20T10:34:56.789Z"},
      {"now-15m", RangeEdge::Lower, "2025-01-20T12:19:56.789Z"},
      {"now-10s", RangeEdge::Lower, "2025-01-20T12:34:46.789Z"},
      {"now-1w/w", RangeEdge::Lower, "2025-01-13T00:00:00.000Z"},  // weeks start on Monday
      {"now+1d-2h/h", RangeEdge::Lower, "2025-01-21T10:00:00.000Z"},
      {"2026-04-23", RangeEdge::Lower, "2026-04-23T00:00:00.000Z"},
      {"2026-04-23", RangeEdge::Upper, "2026-04-23T23:59:59.999Z"},
      // An `lte` date with missing parts, as Elasticsearch fills it: month and
      // day become 1, the time its maximum (not the end of the year or month).
      {"2026", RangeEdge::Upper, "2026-01-01T23:59:59.999Z"},
      {"2026", RangeEdge::Lower, "2026-01-01T00:00:00.000Z"},
      {"2026-04", RangeEdge::Upper, "2026-04-01T23:59:59.999Z"},
      {"2026-04", RangeEdge::Lower, "2026-04-01T00:00:00.000Z"},
      {"2024-02", RangeEdge::Upper, "2024-02-01T23:59:59.999Z"},
      {"2026-04-23T10", RangeEdge::Upper, "2026-04-23T10:59:59.999Z"},
      {"2026-04-23T10", RangeEdge::Lower, "2026-04-23T10:00:00.000Z"},
      {"2026-04-23T10:15:30.1Z", RangeEdge::Upper, "2026-04-23T10:15:30.100Z"},
      {"2026-04-23T10:15:30.123456789+02:00", RangeEdge::Upper, "2026-04-23T08:15:30.123Z"},
      {"2026-04-23T10:15", RangeEdge::Upper, "2026-04-23T10:15:59.999Z"},
      {"2026-04-23T10:15:30Z", RangeEdge::Lower, "2026-04-23T10:15:30.000Z"},
      {"2026-04-23T10:15:30Z", RangeEdge::Upper, "2026-04-23T10:15:30.999Z"},
      {"2026-04-23T10:15:30.123Z", RangeEdge::Upper, "2026-04-23T10:15:30.123Z"},
      {"2026-04-23T10:15:30.123456Z", RangeEdge::Lower, "2026-04-23T10:15:30.123Z"},
      {"2026-04-23T10:15:30+02:00", RangeEdge::Lower, "2026-04-23T08:15:30.000Z"},
      {"2026-04-23T10:15:30-0130", RangeEdge::Lower, "2026-04-23T11:45:30.000Z"},
      {"2026-04-23T10:15:30", RangeEdge::Lower, "2026-04-23T10:15:30.000Z"},
      {"1745400000000", RangeEdge::Lower, "2025-04-23T09:20:00.000Z"},
      {"2026-04-23||+1d/d", RangeEdge::Upper, "2026-04-24T23:59:59.999Z"},
      {"2024-01-31||+1M", RangeEdge::Lower, "2024-02-29T00:00:00.000Z"},  // month ends clamp
  };
  for (const auto& row : rows) {
    INFO(row.text);
    auto ms = resolve_date_bound(row.text, row.edge, kNow);
    REQUIRE(ms.has_value());
    CHECK(format_iso_millis(*ms) == row.expected);
  }
}

TEST_CASE("text that is not a date is refused", "[date]") {
  for (const char* bad : {"", "yesterday", "now-30x", "now-d/", "now30d", "2026-13-01", "2026-02-30",
                          "2026-04-23T25:00", "2026-04-23 10:00", "26-04-23", "2026-04-23T10:15:30.Z",
                          "now-1d/q", "2026-04-23+02:00", "12ab"}) {
    INFO(bad);
    CHECK_FALSE(resolve_date_bound(bad, RangeEdge::Lower, kNow).has_value());
  }
}

TEST_CASE("civil-day conversion round-trips across eras", "[date]") {
  for (std::int64_t days : {-719468LL, -1LL, 0LL, 59LL, 60LL, 11016LL, 20000LL, 2932896LL}) {
    const CivilDate c = civil_from_days(days);
    CHECK(days_from_civil(c.year, c.month, c.day) == days);
  }
  CHECK(at("1970-01-01") == 0);
  CHECK(format_iso_millis(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("dates outside 1970-9999, and date math that would overflow, are refused", "[date]") {
  const std::int64_t now = 1'737'376'496'789;
  for (const char* text : {"now+99999999y", "now-999999999y", "now+999999999M", "now-60y", "1969-12-31", "0001-01-01",
                           "253402300800000", "9999999999999999", "now+999999999w"}) {
    INFO(text);
    CHECK_FALSE(resolve_date_bound(text, RangeEdge::Lower, now).has_value());
    CHECK_FALSE(resolve_date_bound(text, RangeEdge::Upper, now).has_value());
  }
  CHECK(resolve_date_bound("9999-12-31", RangeEdge::Upper, now) == kLatestTimeMs);
  CHECK(resolve_date_bound("1970-01-01", RangeEdge::Lower, now) == kEarliestTimeMs);
  CHECK(resolve_date_bound("now+7000y", RangeEdge::Lower, now).has_value());
}

TEST_CASE("chains of date math steps cannot wrap around into range", "[date]") {
  const std::int64_t now = 1'737'376'496'789;
  std::string wrap = "now";
  for (int i = 0; i < 31; ++i) wrap += "+999999999w";
  for (int i = 0; i < 3; ++i) wrap += "-999999999d";
  for (int i = 0; i < 11; ++i) wrap += "-999999999h";
  wrap += "-904418844h";
  CHECK_FALSE(resolve_date_bound(wrap, RangeEdge::Lower, now).has_value());
  std::string many_weeks = "now";
  for (int i = 0; i < 16; ++i) many_weeks += "+999999999w";
  CHECK_FALSE(resolve_date_bound(many_weeks, RangeEdge::Lower, now).has_value());
  CHECK(resolve_date_bound("now+520w-520w", RangeEdge::Lower, now) == now);
}
