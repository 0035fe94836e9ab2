#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "achilles/defender/alert_query.hpp"
#include "achilles/defender/test_alerts.hpp"

namespace achilles {

// What each /api/analytics/defender/* question takes, already validated
// (REC-13, REC-14, REC-16): a C++ caller builds these directly.

inline constexpr std::int64_t kMaxDefenderDays = 36'500;
inline constexpr std::int64_t kMaxWindowMinutes = 1'440;
inline constexpr std::int64_t kMaxAlertPageSize = 500;
inline constexpr std::int64_t kAlertResultWindow = 10'000;  // as the original's index allows from + size

// GET /defender/alerts: which alerts, which page.
struct AlertListRequest {
  AlertQuery query;
  AlertPageQuestion page;
  std::int64_t page_number = 1;
  std::int64_t page_size = 25;
};

// GET /defender/controls: an optional category and deprecation filter.
struct ControlsRequest {
  std::optional<std::string> category;
  std::optional<bool> deprecated;
};

// GET /defender/controls/correlation: one control, over how many days.
struct ControlCorrelationRequest {
  std::string control_title;
  std::int64_t days = 30;
};

// GET /defender/correlation/detection-rate: the period, the correlation window, and whether hosts
// must match.
struct DetectionRateRequest {
  std::int64_t days = 30;
  std::int64_t window_minutes = 60;
  bool match_host = false;
};

}  // namespace achilles
