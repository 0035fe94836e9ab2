// LiveResults: the store of the moment, switched by a settings save, and
// pinned for the length of one request.
#include <catch2/catch.hpp>

#include <thread>

#include "achilles/embedded/column_store.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "achilles/errors.hpp"
#include "results/live_results.hpp"
#include "app/backends.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using achilles::testing::ResultBuilder;

namespace {

struct Store {
  embedded::ColumnStore results;
  mocks::InMemoryRiskAcceptances acceptances;
  explicit Store(int documents) {
    std::vector<ResultDocument> docs;
    for (int i = 0; i < documents; ++i) docs.push_back(ResultBuilder("d" + std::to_string(i), 1'737'331'200'000 + i));
    results.append(docs);
  }
  server::ResultsBackend backend() { return server::embedded_backend(results, acceptances); }
};

std::int64_t units(const ResultsIndex& index) {
  ResultFilter everything;
  everything.requires_event_time = false;
  return index.tally(everything, ScoringMode::AllStages).documents.units;
}

}  // namespace

TEST_CASE("a switch applies to the next question, but not within a pinned request", "[live-results][settings]") {
  Store one(1), two(2);
  server::LiveResults live(one.backend());
  CHECK(units(live) == 1);
  {
    server::LiveResults::RequestPin request(live);
    live.use(two.backend());  // a settings save during the request
    CHECK(units(live) == 1);  // the request keeps the store it started with
    RiskAcceptance a;
    a.acceptance_id = "a";
    a.test_name = "T";
    live.insert(a);
    CHECK(one.acceptances.find("a").has_value());  // its acceptances too
    CHECK(units(live) == 1);
    std::thread other([&] { CHECK(units(live) == 2); });  // other threads see the switch at once
    other.join();
  }
  CHECK(units(live) == 2);
  CHECK_FALSE(live.find("a").has_value());
}

TEST_CASE("unusable settings fail every question with their reason, acceptances included", "[live-results][settings]") {
  Store one(1);
  server::LiveResults live(one.backend());
  server::ResultsBackend broken;
  broken.name = "elasticsearch";
  broken.problem = "Elasticsearch settings cannot be used: node: not a URL";
  live.use(broken);
  CHECK_THROWS_WITH(units(live), "Elasticsearch settings cannot be used: node: not a URL");
  CHECK_THROWS_AS(live.list({}), BackendUnavailable);
}
