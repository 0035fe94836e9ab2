#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace achilles::embedded {

// routing.event_time as the agent wrote it, said in 8 bytes beside the
// millisecond time instead of kept as text (about 30 bytes a row): the
// number of fraction digits, the digits below the millisecond, and the zone
// (Z or an offset). Agents write seconds, microseconds or nanoseconds, with
// Z or their local offset; any text these cannot rebuild exactly stays text.
class TimeTextShape {
public:
  // The shape that rebuilds `text` from `epoch_ms`, if there is one.
  static std::optional<std::uint64_t> of(std::string_view text, std::int64_t epoch_ms);
  // The text `shape` and `epoch_ms` stand for.
  static std::string text(std::uint64_t shape, std::int64_t epoch_ms);
};

}  // namespace achilles::embedded
