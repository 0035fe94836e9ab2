#pragma once
#include <atomic>
#include <cstdint>

#include "achilles/ports/clock.hpp"

namespace achilles {

// A clock tests set by hand.
class ManualClock final : public Clock {
public:
  explicit ManualClock(std::int64_t now_ms) : now_(now_ms) {}
  std::int64_t now_ms() const override { return now_; }
  void set(std::int64_t now_ms) { now_ = now_ms; }

private:
  std::atomic<std::int64_t> now_;
};

}  // namespace achilles
