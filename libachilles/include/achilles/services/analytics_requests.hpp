#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "achilles/query/filter_params.hpp"
#include "achilles/query/questions.hpp"

namespace achilles {

// What the analytics use cases are asked, already parsed and validated.
// The server builds them from a query string at its edge
// (query/analytics_request_parsing.hpp); a C++ service linking libachilles
// builds them directly. Every use case still scopes them to its caller (D9):
// a request is what was asked, not what may be seen.

// The shared filter vocabulary of analytics-spec §2.1, with the one instant
// its relative dates (`now-7d`) were resolved against: a request reads the
// clock once, so its filter and its defaults agree.
struct FilteredRequest {
  std::int64_t now_ms = 0;
  FilterParams filters;
};

// GET /defense-score/trend and /error-rate/trend (§3.2.2, §3.5).
struct TrendRequest {
  FilteredRequest query;
  CalendarInterval interval = CalendarInterval::Day;
  std::optional<int> window_days;      // rolling window in buckets, 1..90; none = no rolling (score trend)
  bool exclude_cyber_hygiene = false;  // score trend without a window only
};

// A top-N list: by-test, by-hostname and the recent executions.
struct TopRequest {
  FilteredRequest query;
  std::size_t limit = 50;
};

// GET /executions/paginated, flat or grouped (§3.4.2, §3.4.3).
struct ExecutionPageRequest {
  FilteredRequest query;
  PageQuestion page;
};

// GET /canonical-test-count (§3.7): only `org` and `days` are read.
struct CanonicalTestCountRequest {
  std::int64_t now_ms = 0;
  std::string org;
  std::int64_t days = 90;
};

}  // namespace achilles
