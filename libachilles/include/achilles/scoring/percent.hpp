#pragma once
#include <cmath>
#include <cstdint>

namespace achilles {

// JS Math.round(x*100)/100 for the non-negative values scores take.
inline double round2(double x) { return std::floor(x * 100.0 + 0.5) / 100.0; }

// n/d*100, and 0 (never NaN) for an empty denominator.
inline double percent(std::int64_t n, std::int64_t d) {
  return d > 0 ? static_cast<double>(n) / static_cast<double>(d) * 100.0 : 0.0;
}

inline double rounded_percent(std::int64_t n, std::int64_t d) { return round2(percent(n, d)); }

}  // namespace achilles
