// The Defender sync end to end on the embedded store, against the fake
// Graph: what lands, under which ids, and what a second sync changes
// (defender-spec §4.2, §5, with REC-1, REC-8, REC-10).
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <future>

#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/errors.hpp"
#include "achilles/graph/graph_client.hpp"
#include "achilles/services/defender_sync_service.hpp"
#include "fakes/fake_graph.hpp"
#include "mocks/manual_clock.hpp"
#include "support/loopback_policy.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'796'025'600'000;  // 2026-11-30T08:00:00.000Z

struct World {
  TempDir dir;
  FakeGraph fake;
  ManualClock clock{kNow};
  http::OutboundClient outbound{loopback_policy()};
  graph::GraphClient client{outbound, {fake.url(), fake.url()}, clock,
                            graph::GraphRetries{3, std::chrono::seconds(5), std::chrono::seconds(60), [](std::chrono::seconds) {}}};
  embedded::SqliteDefenderStore store{dir / "results.db"};
  std::optional<DefenderCredentials> credentials = [] {
    DefenderCredentials c;
    c.tenant_id = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";
    c.client_id = "0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70";
    c.client_secret = "graph-client-secret~0123456789";
    return c;
  }();
  DefenderSyncService sync{client, store, [this] { return credentials; }, clock};
};

std::vector<std::string> ids_of(const auto& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.id);
  return out;
}

}  // namespace

TEST_CASE("a first sync stores every score, control and alert under the original's ids", "[defender][sync]") {
  World w;
  const auto result = w.sync.sync_all();
  CHECK(result.scores.synced == 3);
  CHECK(result.controls.synced == 3);
  CHECK(result.alerts.synced == 3);
  CHECK(result.scores.errors == std::vector<std::string>{});
  CHECK(result.timestamp == "2026-11-30T08:00:00.000Z");

  CHECK(ids_of(w.store.secure_scores()) == std::vector<std::string>{"score-2026-11-29", "score-2026-11-28", "score-2026-11-27"});
  const auto latest = w.store.secure_scores().front();
  CHECK(latest.score_percentage == Approx(417.16 / 784.0 * 100));
  // REC-9: the all-tenants comparison Graph sends (the original looks for a basis it never sends).
  REQUIRE(latest.average_comparative_score);
  CHECK(*latest.average_comparative_score == Approx(52.74));
  CHECK(latest.tenant_id == "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13");

  const auto controls = w.store.control_profiles();
  CHECK(ids_of(controls) == std::vector<std::string>{"control-AdminMFAV2", "control-BlockLegacyAuthentication", "control-scid_2010"});
  CHECK(controls[0].timestamp == "2026-11-30T08:00:00.000Z");

  const auto alerts = w.store.alerts();
  REQUIRE(alerts.size() == 3);
  const auto& lsass = alerts[0];
  CHECK(lsass.id == "alert-" + lsass.alert_id);
  CHECK(lsass.evidence_hostnames == std::vector<std::string>{"WIN10-LAB-07.CONTOSO.LOCAL"});
  CHECK(std::find(lsass.evidence_filenames.begin(), lsass.evidence_filenames.end(), "achilles_lsass_dump.exe") !=
        lsass.evidence_filenames.end());
  for (const auto& path : lsass.evidence_filepaths)
    CHECK(std::none_of(path.begin(), path.end(), [](unsigned char c) { return std::isupper(c); }));
  // The first sync asks for 90 days of alerts by creation.
  bool first_window = false;
  for (const auto& r : w.fake.requests())
    first_window = first_window || r.target.find("createdDateTime+ge+2026-09-01T08%3A00%3A00.000Z") != std::string::npos;
  CHECK(first_window);
  CHECK(w.store.watermarks() == DefenderWatermarks{"2026-11-30T08:00:00.000Z", "2026-11-30T08:00:00.000Z", 3});
}

TEST_CASE("a second sync asks only what changed since the first began, and duplicates nothing", "[defender][sync]") {
  World w;
  w.sync.sync_all();
  // Achilles' own marks on an alert survive the next sync.
  const std::string first = w.store.alerts().front().id;
  AlertAnnotations marks;
  marks.achilles_correlated = true;
  marks.achilles_test_uuid = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";
  REQUIRE(w.store.annotate_alert(first, marks));

  w.clock.set(kNow + 5 * 60'000);
  const auto again = w.sync.sync_all();
  CHECK(again.alerts.synced == 3);
  std::string filter;
  for (const auto& r : w.fake.requests())
    if (r.target.starts_with("/v1.0/security/alerts_v2?%24top")) filter = r.target;  // first pages, as we ask them
  CHECK(filter.ends_with("%24filter=lastUpdateDateTime+ge+2026-11-30T08%3A00%3A00.000Z"));
  CHECK(w.store.alerts().size() == 3);
  CHECK(w.store.secure_scores().size() == 3);
  CHECK(w.store.control_profiles().size() == 3);
  CHECK(w.store.alert(first)->f0rtika == marks);
}

TEST_CASE("a scheduled pass says whether it ran clean or with Graph's errors, which it does not throw",
          "[defender][sync]") {
  using Outcome = DefenderSyncService::PassOutcome;
  World w;
  CHECK(w.sync.sync_alerts_pass() == Outcome::Clean);
  CHECK(w.sync.sync_scores_and_controls() == Outcome::Clean);
  w.clock.set(kNow + 60'000);
  w.fake.answer_next("alerts_v2", 500, R"({"error":{"code":"InternalServerError","message":"Something went wrong"}})");
  CHECK(w.sync.sync_alerts_pass() == Outcome::WithErrors);
  w.fake.answer_next("secureScoreControlProfiles", 200, "{not json");
  CHECK(w.sync.sync_scores_and_controls() == Outcome::WithErrors);
  CHECK(w.sync.status().last_error);
}

TEST_CASE("a sync whose enrichment throws does not stay running, and a pass whose auto-resolve failed has errors",
          "[defender][sync]") {
  World w;
  w.sync.after_alerts([]() -> EnrichmentResult { throw std::runtime_error("the results store is gone"); });
  CHECK_THROWS_WITH(w.sync.sync_all(), "the results store is gone");
  CHECK_FALSE(w.sync.status().running);
  CHECK_NOTHROW(w.sync.sync_scores_and_controls());  // the turn was given back

  World again;
  again.sync.after_enrichment([] {
    AutoResolvePassResult r;
    r.errors.push_back("PATCH /security/alerts_v2/a1 failed: HTTP 403");
    return r;
  });
  CHECK(again.sync.sync_alerts_pass() == DefenderSyncService::PassOutcome::WithErrors);
}

TEST_CASE("a Graph failure is reported, changes nothing stored and keeps the watermark", "[defender][sync]") {
  World w;
  w.sync.sync_all();
  const auto before = w.store.alerts();
  const auto marks = w.store.watermarks();
  w.clock.set(kNow + 60'000);
  w.fake.answer_next("alerts_v2", 500, R"({"error":{"code":"InternalServerError","message":"Something went wrong"}})");
  w.fake.answer_next("secureScoreControlProfiles", 200, "{not json");
  const auto result = w.sync.sync_all();
  CHECK(result.alerts.synced == 0);
  CHECK(result.alerts.errors == std::vector<std::string>{"Graph API request failed: HTTP 500 \u2014 InternalServerError: Something went wrong"});
  CHECK(result.controls.errors.size() == 1);
  CHECK(w.store.alerts() == before);
  CHECK(w.store.control_profiles().size() == 3);  // a failed control sync deletes nothing
  CHECK(w.store.watermarks().last_alert_sync == marks.last_alert_sync);
  const auto status = w.sync.status();
  CHECK(status.last_error);
  CHECK(status.last_pass->kind == "all");
}

TEST_CASE("one sync at a time: another one meanwhile is refused, a scheduled pass skips", "[defender][sync]") {
  World w;
  w.fake.never_end_next("secureScores");  // holds the first sync until the outbound timeout
  http::OutboundLimits limits;
  limits.total_timeout = std::chrono::milliseconds(1500);
  http::OutboundClient slow_outbound(loopback_policy(), limits);
  graph::GraphClient slow(slow_outbound, {w.fake.url(), w.fake.url()}, w.clock);
  DefenderSyncService sync(slow, w.store, [&w] { return w.credentials; }, w.clock);
  auto running = std::async(std::launch::async, [&] { return sync.sync_all(); });
  while (!sync.status().running) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK_THROWS_WITH(sync.sync_all(), "A Defender sync is already running");
  CHECK(sync.sync_alerts_pass() == DefenderSyncService::PassOutcome::Skipped);
  const auto finished = running.get();
  CHECK(finished.scores.errors.size() == 1);
  CHECK(finished.alerts.synced == 3);
}

TEST_CASE("without credentials there is nothing to sync", "[defender][sync]") {
  World w;
  w.credentials.reset();
  CHECK_THROWS_AS(w.sync.sync_all(), InvalidArgument);
  CHECK(w.sync.sync_alerts_pass() == DefenderSyncService::PassOutcome::Skipped);
  CHECK(w.sync.sync_scores_and_controls() == DefenderSyncService::PassOutcome::Skipped);
  CHECK(w.fake.requests().empty());
}
