#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/defender/detection_rate.hpp"
#include "achilles/defender/test_alerts.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_store.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/services/defender_analytics_requests.hpp"

namespace achilles {

// The latest Secure Score, as a percentage of its maximum.
struct SecureScoreNow {
  double current_score = 0;
  double max_score = 0;
  double percentage = 0;
  std::optional<double> average_comparative;
};

// The alerts of a period counted, with the latest high and medium ones.
struct AlertSummary {
  AlertTally tally;
  std::vector<AlertDocument> recent_high;
  std::vector<AlertDocument> recent_medium;
};

// The control profiles of one category, counted, with their total maximum score.
struct ControlCategory {
  std::string category;
  std::int64_t count = 0;
  double total_max_score = 0;
  bool operator==(const ControlCategory&) const = default;
};

// The techniques a control covers and the alerts that name them.
struct ControlCorrelation {
  std::vector<std::string> covered_techniques;
  std::int64_t alert_count = 0;
};

// One day's defense score beside that day's Secure Score.
struct ScoreCorrelationDay {
  std::string date;  // YYYY-MM-DD
  std::optional<double> defense_score;
  std::optional<double> secure_score;
  bool operator==(const ScoreCorrelationDay&) const = default;
};

// One technique's test results beside the Defender alerts that name it.
struct TechniqueOverlap {
  std::string technique;
  std::int64_t test_results = 0;
  std::int64_t defender_alerts = 0;
  bool operator==(const TechniqueOverlap&) const = default;
};

// The Defender analytics of defender-spec §9.2: what Microsoft's data says,
// and how it lines up with our test executions. Results are read as the
// caller may see them (D9); Defender data is the tenant's.
class DefenderAnalyticsService {
public:
  DefenderAnalyticsService(const DefenderStore& store, const ResultsIndex& results, const Clock& clock,
                           std::function<bool()> integration_configured);

  // Every question first: refused (400, as the original) while no integration
  // is configured and no Defender data is stored.
  void require_defender_data() const;

  SecureScoreNow secure_score() const;
  std::vector<SecureScoreDocument> secure_score_trend(std::int64_t days) const;  // oldest first
  AlertSummary alert_summary() const;
  AlertPage alerts(const AlertListRequest& request) const;
  std::vector<AlertDay> alert_trend(std::int64_t days) const;
  std::vector<ControlProfileDocument> controls(const ControlsRequest& request) const;
  std::vector<ControlCategory> controls_by_category() const;
  ControlCorrelation control_correlation(const ControlCorrelationRequest& request) const;
  std::vector<ScoreCorrelationDay> score_correlation(std::int64_t days, const Principal& caller) const;
  std::vector<TechniqueOverlap> technique_overlap(const Principal& caller) const;
  DetectionRate detection_rate(const DetectionRateRequest& request, const Principal& caller) const;
  TestAlerts alerts_for_test(const TestAlertsRequest& request) const;

private:
  std::int64_t window_start(std::int64_t days) const;  // now-<days>d/d

  const DefenderStore& store_;
  const ResultsIndex& results_;
  const Clock& clock_;
  std::function<bool()> configured_;
};

inline constexpr std::size_t kMaxControls = 200;
inline constexpr std::size_t kMaxControlCategories = 20;

}  // namespace achilles
