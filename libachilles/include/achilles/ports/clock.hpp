#pragma once
#include <chrono>
#include <cstdint>

namespace achilles {

// Time as the domain sees it: UTC epoch milliseconds.
class Clock {
public:
  virtual ~Clock() = default;
  virtual std::int64_t now_ms() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
public:
  std::int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace achilles
