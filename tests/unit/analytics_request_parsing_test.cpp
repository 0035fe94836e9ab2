// What each analytics endpoint reads from its query string, and what it
// refuses: the server's edge turns a query string into a typed request.
#include <catch2/catch.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/analytics_request_parsing.hpp"

using namespace achilles;

namespace {
constexpr std::int64_t kNow = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z
constexpr std::int64_t kDay = 86'400'000;
}  // namespace

TEST_CASE("a filtered request resolves its relative dates at the request's one instant", "[requests]") {
  const auto r = filtered_request({{"from", "now-7d"}, {"hostnames", "a, b,,"}, {"result", "protected"}}, kNow);
  CHECK(r.now_ms == kNow);
  REQUIRE(r.filters.from);
  CHECK(r.filters.from->epoch_ms == kNow - 7 * kDay);
  CHECK(r.filters.hostnames == std::vector<std::string>{"a", "b"});
  CHECK(r.filters.result == ResultClass::Protected);
  CHECK_THROWS_WITH(filtered_request({{"result", "maybe"}}, kNow), Catch::Contains("'result'"));
}

TEST_CASE("a trend request reads interval, windowDays and excludeCyberHygiene", "[requests]") {
  const auto plain = trend_request({}, kNow);
  CHECK(plain.interval == CalendarInterval::Day);
  CHECK_FALSE(plain.window_days);
  CHECK_FALSE(plain.exclude_cyber_hygiene);

  const auto weekly = trend_request({{"interval", "1w"}, {"windowDays", "365"}, {"excludeCyberHygiene", "true"}}, kNow);
  CHECK(weekly.interval == CalendarInterval::Week);
  CHECK(weekly.window_days == 90);  // clamped, as the original
  CHECK(weekly.exclude_cyber_hygiene);
  CHECK(trend_request({{"windowDays", "0"}}, kNow).window_days == std::nullopt);     // falsy: no window
  CHECK(trend_request({{"windowDays", "-3"}}, kNow).window_days == 1);
  CHECK(trend_request({{"windowDays", "abc"}}, kNow).window_days == std::nullopt);  // NaN
  CHECK_THROWS_WITH(trend_request({{"interval", "fortnight"}}, kNow), Catch::Contains("'interval'"));
}

TEST_CASE("a top-N limit follows parseInt, falls back when falsy and stops at 10,000", "[requests][limits]") {
  CHECK(top_request({}, kNow, {10, 50}).limit == 10);
  CHECK(top_request({{"limit", "0"}}, kNow, {10, 50}).limit == 50);
  CHECK(top_request({{"limit", "x"}}, kNow, {10, 50}).limit == 50);
  CHECK(top_request({{"limit", "25abc"}}, kNow, {10, 50}).limit == 25);
  CHECK(top_request({{"limit", "10000"}}, kNow, {10, 50}).limit == 10000);
  CHECK_THROWS_WITH(top_request({{"limit", "10001"}}, kNow, {10, 50}), Catch::Contains("'limit'"));
  CHECK_THROWS_WITH(top_request({{"limit", "-1"}}, kNow, {10, 50}), Catch::Contains("'limit'"));
  CHECK(recent_executions_request({}, kNow).limit == 50);
  CHECK_THROWS_AS(recent_executions_request({{"limit", "99999999999999999999"}}, kNow), InvalidArgument);
}

TEST_CASE("an execution page request reads page, pageSize, sortField and sortOrder", "[requests]") {
  const auto r = execution_page_request({{"page", "3"}, {"pageSize", "40"}, {"sortField", "routing.hostname"}, {"sortOrder", "asc"}}, kNow);
  CHECK(r.page.offset == 80);
  CHECK(r.page.limit == 40);
  CHECK(r.page.sort == SortField::Hostname);
  CHECK_FALSE(r.page.descending);
  CHECK(execution_page_request({{"pageSize", "500"}}, kNow).page.limit == 100);
  CHECK_THROWS_WITH(execution_page_request({{"sortField", "password"}}, kNow), Catch::Contains("'sortField'"));
  CHECK_THROWS_WITH(execution_page_request({{"sortOrder", "up"}}, kNow), Catch::Contains("'sortOrder'"));
  CHECK_THROWS_WITH(execution_page_request({{"page", "-2"}}, kNow), Catch::Contains("'page'"));
  CHECK_THROWS_WITH(execution_page_request({{"page", "1000000001"}}, kNow), Catch::Contains("'page'"));
}

TEST_CASE("the canonical test count reads org and days only", "[requests][limits]") {
  // A filter this endpoint ignores cannot make it fail.
  const auto r = canonical_test_count_request({{"org", "o1"}, {"days", "30"}, {"result", "bogus"}, {"from", "never"}}, kNow);
  CHECK(r.org == "o1");
  CHECK(r.days == 30);
  CHECK(r.now_ms == kNow);
  CHECK(canonical_test_count_request({{"days", "0"}}, kNow).days == 90);
  CHECK_THROWS_WITH(canonical_test_count_request({{"days", "36501"}}, kNow), Catch::Contains("'days'"));
  CHECK_THROWS_WITH(canonical_test_count_request({{"days", "-1"}}, kNow), Catch::Contains("'days'"));
}
