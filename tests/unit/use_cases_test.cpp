// The use cases on their own, over a ResultsIndex double: what each asks,
// with which filter, and what it makes of the answers.
#include <catch2/catch.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/services/archive_service.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "achilles/services/catalog_service.hpp"
#include "achilles/services/coverage_service.hpp"
#include "achilles/services/executions_service.hpp"
#include "achilles/services/trend_service.hpp"
#include "mocks/manual_clock.hpp"
#include "mocks/recording_results_index.hpp"

using namespace achilles;

namespace {
constexpr std::int64_t kNow = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z
const Principal kAdmin = Principal::with_role("u", Role::Admin);
const Principal kOrgBound = Principal::with_role("u2", Role::Analyst, "org-1");

struct World {
  ManualClock clock{kNow};
  mocks::RecordingResultsIndex index;
  AnalyticsContext context() { return {index, clock}; }
};

FilteredRequest asked(const QueryParams& q = {}) { return filtered_request(q, kNow); }

bool keeps_only_org(const ResultFilter& f, const std::string& org) {
  for (const auto& k : f.keywords)
    if (k.fields == std::vector<KeywordField>{KeywordField::OrgId} && k.values == std::vector<std::string>{org}) return true;
  return false;
}
}  // namespace

TEST_CASE("every use case pins an org-bound caller to its organisation", "[use-cases]") {
  World w;
  BreakdownService(w.context()).by_test({asked(), 10}, kOrgBound);
  CHECK(keeps_only_org(w.index.last("breakdown").filter, "org-1"));
  BreakdownService(w.context()).by_org(asked(), kOrgBound);
  CHECK(keeps_only_org(w.index.last("breakdown").filter, "org-1"));
  CoverageService(w.context()).host_test_matrix(asked(), kOrgBound);
  CHECK(keeps_only_org(w.index.last("key_pairs").filter, "org-1"));
  CatalogService(w.context()).unique_hostnames(asked(), kOrgBound);
  CHECK(keeps_only_org(w.index.last("distinct").filter, "org-1"));
  CatalogService(w.context()).options(OptionList::Hostnames, asked(), kOrgBound);
  CHECK(keeps_only_org(w.index.last("breakdown").filter, "org-1"));
  CatalogService(w.context()).canonical_test_count({kNow, "", 90}, kOrgBound);
  CHECK(keeps_only_org(w.index.last("distinct").filter, "org-1"));
  ExecutionsService(w.context()).paginated({asked(), {}}, kOrgBound);
  CHECK(keeps_only_org(w.index.last("page").filter, "org-1"));
  ExecutionsService(w.context()).recent({asked(), 50}, kOrgBound);
  CHECK(keeps_only_org(w.index.last("page").filter, "org-1"));
  CHECK_THROWS_AS(TrendService(w.context()).error_rate(asked({{"org", "org-2"}}), kOrgBound), AccessDenied);
  CHECK_THROWS_AS(CatalogService(w.context()).canonical_test_count({kNow, "org-2", 90}, kOrgBound), AccessDenied);
}

TEST_CASE("coverage asks for the unprotected count and reports it as answered", "[use-cases]") {
  World w;
  Bucket b;
  b.key = "T";
  b.documents = 5;
  b.tally.documents = {5, 2, 3};
  b.unprotected_documents = 2;
  w.index.breakdown_answer = {b};
  const auto rows = CoverageService(w.context()).test_coverage(asked(), kAdmin);
  const auto& q = std::get<BreakdownQuestion>(w.index.last("breakdown").question);
  CHECK(q.count_unprotected);
  CHECK(q.size == 50);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].protected_count == 2);
  CHECK(rows[0].unprotected_count == 2);
}

TEST_CASE("the host-test matrix is the first 1000 key pairs, hostname then test", "[use-cases]") {
  World w;
  w.index.key_pairs_answer = {{"h1", "A", 3}};
  const auto cells = CoverageService(w.context()).host_test_matrix(asked(), kAdmin);
  const auto& q = std::get<KeyPairQuestion>(w.index.last("key_pairs").question);
  CHECK(q.first == KeywordField::Hostname);
  CHECK(q.second == KeywordField::TestName);
  CHECK(q.size == 1000);
  REQUIRE(cells.size() == 1);
  CHECK(cells[0].hostname == "h1");
  CHECK(cells[0].count == 3);
}

TEST_CASE("flat executions: page size capped at 100, pages counted from the total", "[use-cases]") {
  World w;
  w.index.page_answer.total = 230;
  const auto page = ExecutionsService(w.context()).paginated(execution_page_request({{"page", "2"}, {"pageSize", "500"}}, kNow), kAdmin);
  const auto& q = std::get<PageQuestion>(w.index.last("page").question);
  CHECK(q.limit == 100);
  CHECK(q.offset == 100);
  CHECK(page.pagination.total_pages == 3);
  CHECK(page.pagination.has_next());
  CHECK(page.pagination.has_previous());
}

TEST_CASE("grouped executions roll up each run's members", "[use-cases]") {
  World w;
  RunGroup run;
  run.key = "bundle::b::h::1";
  run.bundle = true;
  ResultDocument a, b, c;
  a.error_code = 126;
  b.error_code = 101;
  c.error_code = 0;
  c.defender_detected = true;
  run.members = {a, b, c};
  w.index.run_page_answer.total_runs = 1;
  w.index.run_page_answer.total_documents = 3;
  w.index.run_page_answer.runs = {run};
  const auto page = ExecutionsService(w.context()).grouped({asked(), {}}, kAdmin);
  REQUIRE(page.runs.size() == 1);
  CHECK(page.runs[0].protected_count == 1);
  CHECK(page.runs[0].unprotected_count == 1);
  CHECK(page.runs[0].defender_detected);
}

TEST_CASE("the error rate counts errors and conclusive executions from the error-rate codes", "[use-cases]") {
  World w;
  w.index.tally_answer.documents = {4, 0, 0};
  const auto rate = TrendService(w.context()).error_rate(asked(), kAdmin);
  CHECK(rate.error_count == 4);
  CHECK(rate.conclusive_count == 4);
  CHECK(rate.error_rate == 50);
  // Two tallies: one restricted to 0/1/259/999, one to the conclusive codes.
  std::vector<std::vector<std::int64_t>> code_sets;
  for (const auto& a : w.index.asked)
    if (a.kind == "tally") code_sets.push_back(a.filter.exit_codes.back().codes);
  CHECK(code_sets == std::vector<std::vector<std::int64_t>>{{0, 1, 259, 999}, {101, 105, 126, 127}});
}

TEST_CASE("catalog lists come from breakdowns of the whole index, org-bound callers kept to their org", "[use-cases]") {
  World w;
  Bucket t;
  t.key = "T1059";
  t.documents = 4;
  w.index.breakdown_answer = {t};
  CHECK(CatalogService(w.context()).available_techniques(kOrgBound) == std::vector<std::string>{"T1059"});
  const auto& asked = w.index.last("breakdown");
  CHECK(std::get<BreakdownQuestion>(asked.question).dimension.field == KeywordField::Techniques);
  CHECK(keeps_only_org(asked.filter, "org-1"));
}

TEST_CASE("archiving runs parses every key, reports the bad ones and archives the rest in one filter", "[use-cases]") {
  ManualClock clock{kNow};
  mocks::RecordingArchive archive;
  archive.moved = 4;
  ArchiveService service(archive, clock);
  const auto outcome = service.archive_runs({"bundle::b::h::1737376496000", "standalone::u::h::1737376496001", "bundle::x::y"}, kOrgBound);
  CHECK(outcome.archived == 4);
  CHECK(outcome.errors == std::vector<std::string>{"Invalid group key (expected 4 parts, got 3): bundle::x::y"});
  REQUIRE(archive.asked.size() == 1);
  CHECK(archive.asked[0].runs.size() == 2);
  CHECK(keeps_only_org(archive.asked[0], "org-1"));
  CHECK_THROWS_AS(service.archive_runs({}, kAdmin), ValidationFailed);
  CHECK_THROWS_AS(service.archive_runs({"elsewhere::a::b::1"}, kAdmin), ValidationFailed);
  CHECK(archive.asked.size() == 1);
  // archive-by-date: strictly before the given time.
  service.archive_before("2025-01-01T00:00:00Z", kAdmin);
  CHECK(archive.asked.back().to_ms == 1735689600000 - 1);
  CHECK_THROWS_AS(service.archive_before("now-1d", kAdmin), ValidationFailed);
}

TEST_CASE("a C++ caller asks with a typed request: by-org reads only its dates", "[use-cases]") {
  World w;
  FilteredRequest request;
  request.now_ms = kNow;
  request.filters.hostnames = {"h1"};
  request.filters.from = DateBound{"now-30d", kNow - 30 * 86'400'000LL};
  BreakdownService(w.context()).by_org(request, kAdmin);
  const auto& filter = w.index.last("breakdown").filter;
  for (const auto& k : filter.keywords) CHECK(k.fields != std::vector<KeywordField>{KeywordField::Hostname});
  CHECK(filter.from_ms == kNow - 30 * 86'400'000LL);
}

TEST_CASE("the score trend rolls a window: it asks from earlier and shows points from the requested day", "[use-cases]") {
  World w;
  constexpr std::int64_t kDayMs = 86'400'000;
  const std::int64_t today = kNow - kNow % kDayMs;
  for (int d = 4; d >= 0; --d) {
    TimeBucket b;
    b.start_ms = today - d * kDayMs;
    b.tally.documents = {2, 1, 1};  // each day: 2 units, 1 protected
    w.index.histogram_answer.push_back(b);
  }
  TrendRequest request{asked({{"from", "now-2d"}}), CalendarInterval::Day, 3, false};
  const auto points = TrendService(w.context()).defense_score_trend(request, kAdmin);
  // The question reaches back (window - 1) days before `from`.
  CHECK(w.index.last("histogram").filter.from_ms == kNow - 2 * kDayMs - 2 * kDayMs);
  // Shown from `from`'s day: three points, each the sum of three days.
  REQUIRE(points.size() == 3);
  CHECK(points[0].start_ms == today - 2 * kDayMs);
  CHECK(points[0].total == 6);
  CHECK(points[0].protected_count == 3);
  CHECK(points[0].score == 50);
  CHECK_FALSE(points[0].real_score);  // no acceptance: no second series
  CHECK(w.index.asked.size() == 1);
}

TEST_CASE("the score trend with an accepted risk answers the adjusted and the real series together", "[use-cases]") {
  World w;
  TimeBucket b;
  b.start_ms = kNow - kNow % 86'400'000;
  b.tally.documents = {4, 3, 3};
  w.index.histogram_answer = {b};
  auto context = w.context();
  context.exclusions = [](const std::string&) { return std::vector<RiskExclusion>{{"Test A", std::nullopt, std::nullopt}}; };
  TrendRequest request{asked(), CalendarInterval::Day, std::nullopt, true};
  const auto points = TrendService(context).defense_score_trend(request, kAdmin);
  REQUIRE(w.index.asked.size() == 2);
  CHECK(w.index.asked[0].filter.attack_simulation_only);  // excludeCyberHygiene without a window
  CHECK_FALSE(w.index.asked[0].filter.exclusions.empty());
  CHECK(w.index.asked[1].filter.exclusions.empty());
  REQUIRE(points.size() == 1);
  CHECK(points[0].score == 75);
  CHECK(points[0].real_score == 75);
  CHECK(points[0].real_total == 4);
}
