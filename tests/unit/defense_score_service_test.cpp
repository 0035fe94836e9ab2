#include <catch2/catch.hpp>

#include "mocks/manual_clock.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/services/defense_score_service.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using achilles::testing::ResultBuilder;

namespace {
constexpr std::int64_t kNow = 1737376496789;
constexpr std::int64_t kDay = 86'400'000;

struct World {
  ManualClock clock{kNow};
  embedded::ColumnStore store;
  DefenseScoreService service{AnalyticsContext{store, clock}};
  Principal admin = Principal::with_role("a", Role::Admin);
  World() {
    std::vector<ResultDocument> docs{
        ResultBuilder("1", kNow - kDay).code(126),
        ResultBuilder("2", kNow - kDay).code(101).defender(),
        ResultBuilder("3", kNow - kDay).code(101),
        ResultBuilder("4", kNow - kDay).code(0),                      // inconclusive: not scored
        ResultBuilder("5", kNow - 8 * kDay).code(126),                // outside the default window
        ResultBuilder("6", kNow - kDay).code(126).without_test_uuid(),  // not test data
        ResultBuilder("7", kNow - kDay).code(127).org("org-2"),
    };
    store.append(docs);
  }
  DefenseScore score(QueryParams q, const Principal& who) const {
    return service.score(filtered_request(q, kNow), who);
  }
};
}  // namespace

TEST_CASE("the defense score counts conclusive test executions of the last 7 days by default", "[service]") {
  World w;
  auto s = w.score({}, w.admin);
  CHECK(s.total_executions == 4);
  CHECK(s.protected_count == 2);
  CHECK(s.detected_count == 1);
  CHECK(s.unprotected_count == 1);
  CHECK(s.score == 75);
  CHECK(s.real_score == 50);
  CHECK(w.score({{"from", "now-30d"}}, w.admin).total_executions == 5);
}

TEST_CASE("a principal bound to an organisation is pinned to it (D9)", "[service]") {
  World w;
  auto bound = Principal::with_role("u", Role::Analyst, "org-2");
  CHECK(w.score({}, bound).total_executions == 1);
  CHECK(w.score({{"org", "org-2"}}, bound).total_executions == 1);
  CHECK_THROWS_AS(w.score({{"org", "org-1"}}, bound), AccessDenied);
  CHECK(w.score({{"org", "org-1"}}, w.admin).total_executions == 3);
}
