#include "achilles/query/defender_request_parsing.hpp"

#include "achilles/errors.hpp"

namespace achilles {
namespace {

std::optional<std::string> present(const QueryParams& query, std::string_view key) {
  auto text = param_value(query, key);
  if (text && text->empty()) return std::nullopt;
  return text;
}

// A whole number within [low, high], or a 400 naming the parameter.
std::int64_t bounded(const QueryParams& query, std::string_view key, std::int64_t when_absent, std::int64_t low,
                     std::int64_t high) {
  const auto text = present(query, key);
  if (!text) return when_absent;
  const std::string range = " between " + std::to_string(low) + " and " + std::to_string(high);
  std::size_t i = 0;
  std::int64_t value = 0;
  for (; i < text->size() && (*text)[i] >= '0' && (*text)[i] <= '9'; ++i) {
    if (value > high) break;
    value = value * 10 + ((*text)[i] - '0');
  }
  if (i == 0 || i != text->size() || value < low || value > high)
    throw InvalidArgument("Invalid '" + std::string(key) + "': expected a whole number" + range);
  return value;
}

}  // namespace

std::int64_t defender_days_param(const QueryParams& query, std::int64_t when_absent) {
  return bounded(query, "days", when_absent, 1, kMaxDefenderDays);
}

AlertListRequest parse_alert_list_request(const QueryParams& q) {
  AlertListRequest r;
  r.page_number = bounded(q, "page", 1, 1, kAlertResultWindow);
  r.page_size = bounded(q, "pageSize", 25, 1, kMaxAlertPageSize);
  if (r.page_number * r.page_size > kAlertResultWindow)
    throw InvalidArgument("Invalid 'page': page × pageSize may not exceed 10000");
  r.page.offset = static_cast<std::size_t>((r.page_number - 1) * r.page_size);
  r.page.limit = static_cast<std::size_t>(r.page_size);
  r.query.severity = present(q, "severity");
  r.query.status = present(q, "status");
  r.query.search = present(q, "search");
  if (auto t = present(q, "techniques")) r.query.techniques = split_list(*t);
  if (auto field = present(q, "sortField")) {
    const auto parsed = alert_sort_field_from(*field);
    if (!parsed)
      throw InvalidArgument("Invalid 'sortField': '" + *field +
                            "' (expected created_at, updated_at, severity, status, alert_title.keyword, "
                            "service_source or category)");
    r.page.sort = *parsed;
  }
  r.page.descending = param_value(q, "sortOrder").value_or("") != "asc";  // as the original: anything else is desc
  return r;
}

ControlsRequest parse_controls_request(const QueryParams& q) {
  ControlsRequest r;
  r.category = present(q, "category");
  // As the original: only the literal words filter; anything else does not.
  if (const auto d = param_value(q, "deprecated"); d == "true" || d == "false") r.deprecated = *d == "true";
  return r;
}

ControlCorrelationRequest parse_control_correlation_request(const QueryParams& q) {
  ControlCorrelationRequest r;
  const auto title = present(q, "controlTitle");
  if (!title) throw InvalidArgument("controlTitle is required");
  r.control_title = *title;
  r.days = defender_days_param(q, 30);
  return r;
}

DetectionRateRequest parse_detection_rate_request(const QueryParams& q) {
  DetectionRateRequest r;
  r.days = defender_days_param(q, 30);
  r.window_minutes = bounded(q, "windowMinutes", 60, 0, kMaxWindowMinutes);
  if (const auto m = present(q, "matchHost")) {
    if (*m != "true" && *m != "false") throw InvalidArgument("Invalid 'matchHost': expected true or false");
    r.match_host = *m == "true";
  }
  return r;
}

TestAlertsRequest parse_test_alerts_request(const QueryParams& q) {
  const auto techniques = present(q, "techniques");
  const auto timestamp = present(q, "timestamp");
  TestAlertsRequest r;
  if (techniques) r.techniques = split_list(*techniques);
  if (r.techniques.empty() || !timestamp) throw InvalidArgument("techniques and timestamp are required");
  const auto t = alert_time_ms(*timestamp);
  if (!t) throw InvalidArgument("Invalid 'timestamp': '" + *timestamp + "' is not an ISO-8601 time");
  r.time_ms = *t;
  r.timestamp = *timestamp;
  r.window_minutes = bounded(q, "windowMinutes", 30, 0, kMaxWindowMinutes);
  r.hostname = present(q, "hostname").value_or("");
  r.binary_name = present(q, "binaryName").value_or("");
  r.bundle_name = present(q, "bundleName").value_or("");
  return r;
}

}  // namespace achilles
