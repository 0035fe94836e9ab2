#include "achilles/query/analytics_request_parsing.hpp"

#include <algorithm>

#include "achilles/errors.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kResultWindow = 10000;  // the original's index.max_result_window
constexpr std::int64_t kMaxDays = 36500;

std::int64_t count_param(const QueryParams& params, std::string_view key, LimitDefaults defaults) {
  auto text = param_value(params, key);
  if (!text) return defaults.when_absent;
  auto value = js_parse_int(*text);
  if (!value || *value == 0) return defaults.when_falsy;
  if (*value < 0) throw InvalidArgument("Invalid '" + std::string(key) + "': must be a positive integer");
  return *value;
}

std::optional<int> window_days_param(const QueryParams& query) {
  auto text = param_value(query, "windowDays");
  if (!text) return std::nullopt;
  auto value = js_parse_int(*text);
  if (!value || *value == 0) return std::nullopt;
  return static_cast<int>(std::clamp<std::int64_t>(*value, 1, 90));
}

CalendarInterval interval_param(const QueryParams& query) {
  auto text = param_value(query, "interval");
  if (!text || text->empty()) return CalendarInterval::Day;
  if (auto interval = calendar_interval_from(*text)) return *interval;
  throw InvalidArgument("Invalid 'interval': '" + *text +
                        "' (expected minute, hour, day, week, month, quarter, year or 1m, 1h, 1d, 1w, 1M, 1q, 1y)");
}

PageQuestion page_question(const QueryParams& q) {
  PageQuestion question;
  std::int64_t page = 1;
  if (auto text = param_value(q, "page")) {
    auto value = js_parse_int(*text);
    if (value && *value < 0) throw InvalidArgument("Invalid 'page': must be 1 or more");
    if (value && *value > 0) page = *value;
  }
  std::int64_t size = 25;
  if (auto text = param_value(q, "pageSize")) {
    auto value = js_parse_int(*text);
    if (value && *value < 0) throw InvalidArgument("Invalid 'pageSize': must be between 1 and 100");
    if (value && *value > 0) size = std::min<std::int64_t>(*value, 100);
  }
  if (page > 1'000'000'000) throw InvalidArgument("Invalid 'page': too large");
  question.limit = static_cast<std::size_t>(size);
  question.offset = static_cast<std::size_t>((page - 1) * size);
  if (auto field = param_value(q, "sortField"); field && !field->empty()) {
    auto parsed = sort_field_from(*field);
    if (!parsed)
      throw InvalidArgument("Invalid 'sortField': '" + *field +
                            "' (expected routing.event_time, f0rtika.test_name, routing.hostname, "
                            "f0rtika.is_protected, f0rtika.severity, f0rtika.category, f0rtika.threat_actor, "
                            "f0rtika.complexity or f0rtika.score)");
    question.sort = *parsed;
  }
  if (auto order = param_value(q, "sortOrder"); order && !order->empty()) {
    if (*order != "asc" && *order != "desc") throw InvalidArgument("Invalid 'sortOrder': '" + *order + "' (expected asc or desc)");
    question.descending = *order == "desc";
  }
  return question;
}

}  // namespace

FilteredRequest filtered_request(const QueryParams& query, std::int64_t now_ms) {
  return {now_ms, parse_filter_params(query, now_ms)};
}

TrendRequest trend_request(const QueryParams& query, std::int64_t now_ms) {
  return {filtered_request(query, now_ms), interval_param(query), window_days_param(query),
          param_value(query, "excludeCyberHygiene") == "true"};
}

TopRequest top_request(const QueryParams& query, std::int64_t now_ms, LimitDefaults defaults) {
  const std::int64_t limit = count_param(query, "limit", defaults);
  if (limit > kResultWindow) throw InvalidArgument("Invalid 'limit': at most 10000");
  return {filtered_request(query, now_ms), static_cast<std::size_t>(limit)};
}

TopRequest recent_executions_request(const QueryParams& query, std::int64_t now_ms) {
  return top_request(query, now_ms, {50, 50});
}

ExecutionPageRequest execution_page_request(const QueryParams& query, std::int64_t now_ms) {
  return {filtered_request(query, now_ms), page_question(query)};
}

CanonicalTestCountRequest canonical_test_count_request(const QueryParams& query, std::int64_t now_ms) {
  CanonicalTestCountRequest request;
  request.now_ms = now_ms;
  if (auto org = param_value(query, "org")) request.org = *org;
  request.days = count_param(query, "days", {90, 90});
  // A century back covers every stored result; more would overflow the window's arithmetic.
  if (request.days > kMaxDays) throw InvalidArgument("Invalid 'days': at most 36500");
  return request;
}

}  // namespace achilles
