// routing.event_time kept as a shape beside the millisecond time: every text
// an agent writes comes back exactly, and a text a shape cannot rebuild is
// refused (the column store then keeps it as text).
#include <catch2/catch.hpp>

#include "achilles/query/date_math.hpp"
#include "time_text_shape.hpp"

using achilles::embedded::TimeTextShape;

namespace {
std::int64_t ms(std::string_view text) {
  auto parsed = achilles::resolve_date_bound(text, achilles::RangeEdge::Lower, 0);  // as a stored time is read
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("the times agents write are rebuilt exactly from the millisecond and the shape", "[time-text]") {
  for (std::string_view text :
       {"2026-11-30T08:37:01.143345921+05:30", "2026-11-03T14:32:18Z", "2026-11-03T14:32:18.000Z", "2026-11-03T14:32:18.5Z",
        "2026-11-03T14:32:18.123456Z", "2026-11-03T23:59:59.999999-08:00", "2026-01-01T00:00:00.000001+00:00",
        "2025-12-31T22:30:00-14:00", "2024-02-29T12:00:00.12+13:45", "1999-12-31T23:59:59.9999999Z"}) {
    INFO(text);
    const auto shape = TimeTextShape::of(text, ms(text));
    REQUIRE(shape);
    CHECK(*shape > 1);  // 0 and 1 mean "no text" and "kept as text" to the column store
    CHECK(TimeTextShape::text(*shape, ms(text)) == text);
  }
}

TEST_CASE("a text no shape rebuilds is left as text", "[time-text]") {
  const std::int64_t t = ms("2026-11-03T14:32:18Z");
  CHECK_FALSE(TimeTextShape::of("2026-11-03 14:32:18Z", t));                  // a space, not T
  CHECK_FALSE(TimeTextShape::of("2026-11-03T14:32:18", t));                   // no zone
  CHECK_FALSE(TimeTextShape::of("2026-11-03T14:32:18+0000", t));              // offset without a colon
  CHECK_FALSE(TimeTextShape::of("2026-11-03T14:32:18.1234567890Z", t));       // ten fraction digits
  CHECK_FALSE(TimeTextShape::of("2026-11-03T14:32:19Z", t));                  // another instant
  CHECK_FALSE(TimeTextShape::of("2026-11-03T14:32:18.Z", t));                 // a dot without digits
  CHECK_FALSE(TimeTextShape::of("1762180338000", 1762180338000));             // epoch milliseconds
}
