#pragma once
#include <optional>
#include <vector>

#include "achilles/query/questions.hpp"
#include "achilles/services/analytics_context.hpp"

namespace achilles {

// One point of GET /defense-score/trend (analytics-spec §3.2). The real*
// fields (here: without risk exclusions) are present only when an active
// acceptance excluded something.
struct TrendPoint {
  std::int64_t start_ms = 0;
  double score = 0;
  std::int64_t total = 0;
  std::int64_t protected_count = 0;
  std::optional<double> real_score;
  std::optional<std::int64_t> real_total;
  std::optional<std::int64_t> real_protected;
};

// One point of GET /error-rate/trend (§3.5).
struct ErrorRatePoint {
  std::int64_t start_ms = 0;
  double error_rate = 0;
  std::int64_t error_count = 0;
  std::int64_t conclusive_count = 0;
  std::int64_t total = 0;
};

// The share of test activity that ended in an error rather than a conclusive result.
struct ErrorRate {
  double error_rate = 0;
  std::int64_t error_count = 0;
  std::int64_t conclusive_count = 0;
  std::int64_t total_test_activity = 0;
};

// The rolling window of §3.2.2: how far back the query reaches so the first
// displayed point has a full window, and where display starts. Evaluated on
// the resolved `from` (default now-7d) in UTC.
struct RollingWindow {
  int window = 7;                  // buckets summed per point
  std::int64_t query_from_ms = 0;  // from − (window − 1) days
  std::int64_t display_from_ms = 0;  // from, floored to its UTC day
};

// Use cases behind the defense score and error rate trends.
class TrendService {
public:
  explicit TrendService(AnalyticsContext context) : ctx_(std::move(context)) {}

  std::vector<TrendPoint> defense_score_trend(const TrendRequest& request, const Principal& caller) const;
  // A rolling window always: 7 buckets unless the request names one.
  std::vector<ErrorRatePoint> error_rate_trend(const TrendRequest& request, const Principal& caller) const;
  ErrorRate error_rate(const FilteredRequest& request, const Principal& caller) const;

  static RollingWindow rolling_window(const FilterParams& params, int window_days, std::int64_t now_ms);

private:
  AnalyticsContext ctx_;
};

}  // namespace achilles
