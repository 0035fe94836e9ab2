#pragma once
#include <cstdint>

#include "achilles/query/query_params.hpp"
#include "achilles/services/analytics_requests.hpp"

namespace achilles {

// The analytics endpoints' query strings read into typed requests, with the
// original's quirks kept (parseInt, "a falsy value means the default") and
// D3's refusals: every bad value is an InvalidArgument naming its parameter.
// Each parser reads only what its endpoints read, so a parameter an endpoint
// ignores cannot make it fail.

// §2.1's shared vocabulary, relative dates resolved against `now_ms`.
FilteredRequest filtered_request(const QueryParams& query, std::int64_t now_ms);

// `interval` (default day; anything calendar_interval refuses is a 400),
// `windowDays` (parseInt; truthy values clamped to 1..90) and
// `excludeCyberHygiene=true`, besides the shared vocabulary.
TrendRequest trend_request(const QueryParams& query, std::int64_t now_ms);

// `limit` by the original's rule: `when_absent` without it, `when_falsy`
// for 0 or text parseInt cannot read; a negative value or one above the
// original's result window of 10,000 is refused.
struct LimitDefaults {
  std::int64_t when_absent;
  std::int64_t when_falsy;
};
TopRequest top_request(const QueryParams& query, std::int64_t now_ms, LimitDefaults defaults);

// GET /executions: `limit` defaults to 50.
TopRequest recent_executions_request(const QueryParams& query, std::int64_t now_ms);

// `page` (from 1), `pageSize` (1..100, default 25), `sortField` (one of the
// table's columns) and `sortOrder` (asc or desc).
ExecutionPageRequest execution_page_request(const QueryParams& query, std::int64_t now_ms);

// `org` and `days` (parseInt, default 90, at most 36,500) only.
CanonicalTestCountRequest canonical_test_count_request(const QueryParams& query, std::int64_t now_ms);

}  // namespace achilles
