// Enrichment (defender-spec §7, cases 16–21, and REC-11): executions the
// evidence says Defender saw get defender_detected / defender_stage_detected,
// and the alerts that prove it are marked as correlated with the test.
#include <catch2/catch.hpp>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/embedded_results_index.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/services/defender_enrichment_service.hpp"
#include "mocks/manual_clock.hpp"
#include "support/process.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

const std::string kBundle = "92b0b4f6-3a1e-4c8e-9b7d-31ce461f804c";
std::int64_t at(const char* iso) { return *resolve_date_bound(iso, RangeEdge::Lower, 0); }
constexpr const char* kNow = "2026-03-27T12:00:00Z";

AlertDocument alert(std::string id, std::string created, std::vector<std::string> files, std::string host = "LT-TPL-L50.CORP.LOCAL") {
  GraphAlert a;
  a.id = std::move(id);
  a.title = "Suspicious scheduled task";
  a.severity = "high";
  a.status = "new";
  a.created_date_time = std::move(created);
  a.mitre_techniques = {"T1053.005"};
  a.evidence.device_dns_names = {std::move(host)};
  a.evidence.file_names = std::move(files);
  return alert_document(a, "t1");
}

ResultDocument stage(std::string id, const char* time, std::string control = "T1053.005", std::int64_t code = 126) {
  return ResultBuilder(std::move(id), at(time))
      .bundle(kBundle, "BlueHammer Early-Stage Behavioral Pattern", control)
      .host("lt-tpl-l50")
      .techniques({control})
      .code(code);
}

struct World {
  ManualClock clock{at(kNow)};
  embedded::ColumnStore results;
  TempDir dir;
  embedded::SqliteDefenderStore alerts{dir / "results.db"};
  std::int64_t elapsed = 0;
  DefenderEnrichmentService enrichment{results, alerts, clock, [this] { return elapsed; }};

  std::vector<ResultDocument> stored() const {
    return results.page(everything(), {SortField::EventTime, false, 0, 100}).documents;
  }
};

}  // namespace

TEST_CASE("an execution whose bundle evidence an alert shows is marked detected, and the alert correlated", "[defender][enrichment]") {
  World w;
  w.results.append(std::vector<ResultDocument>{stage("s1", "2026-03-27T07:52:54.123456+00:00", "T1204.002")});
  w.alerts.upsert_alerts({alert("a1", "2026-03-27T07:55:01.5170000Z", {kBundle + ".exe"}),
                          alert("a2", "2026-03-27T08:10:00.0000000Z", {"cmd.exe"}, "LT-TPL-L50")});  // no file of the bundle
  const auto r = w.enrichment.run();
  CHECK(r.scanned == 1);
  CHECK(r.detected == 1);
  CHECK(r.stage_detected == 0);  // the orchestrator's binary says nothing about the stage
  CHECK(r.batches == 1);
  CHECK(r.alerts_marked_correlated == 1);
  CHECK(r.errors.empty());
  CHECK(w.stored()[0].defender_detected);
  CHECK_FALSE(w.stored()[0].defender_stage_detected);
  const auto marked = w.alerts.alert("alert-a1");
  REQUIRE(marked);
  CHECK(marked->f0rtika.achilles_correlated == true);
  CHECK(marked->f0rtika.achilles_test_uuid == kBundle);  // the bundle, without the stage suffix
  CHECK(marked->f0rtika.achilles_matched_at == "2026-03-27T12:00:00.000Z");
  CHECK_FALSE(w.alerts.alert("alert-a2")->f0rtika.achilles_correlated);
}

TEST_CASE("a stage binary sets both flags, one alert shared by two executions is marked once", "[defender][enrichment]") {
  World w;
  w.results.append(std::vector<ResultDocument>{stage("s1", "2026-03-27T08:00:00Z"), stage("s2", "2026-03-27T08:01:00Z", "T1562.001")});
  w.alerts.upsert_alerts({alert("a1", "2026-03-27T08:05:00Z", {kBundle + "-t1053.005.exe"})});
  const auto r = w.enrichment.run();
  CHECK(r.detected == 2);        // both stages: the alert shows the bundle's uuid
  CHECK(r.stage_detected == 1);  // only T1053.005 is its binary
  CHECK(r.alerts_marked_correlated == 1);
  const auto docs = w.stored();
  CHECK(docs[0].defender_stage_detected);
  CHECK_FALSE(docs[1].defender_stage_detected);
}

TEST_CASE("only conclusive attack executions of the look-back, with a host, are asked about", "[defender][enrichment]") {
  World w;
  w.results.append(std::vector<ResultDocument>{
      stage("ok", "2026-03-27T08:00:00Z"),
      stage("skipped-stage", "2026-03-27T08:00:00Z", "T1053.005", 0),
      stage("error", "2026-03-27T08:00:00Z", "T1053.005", 259),
      ResultBuilder("hygiene", at("2026-03-27T08:00:00Z")).category("cyber-hygiene").host("lt-tpl-l50").code(126),
      ResultBuilder("no-host", at("2026-03-27T08:00:00Z")).keywords(KeywordField::Hostname, Keywords()).code(126),
      stage("old", "2025-12-01T08:00:00Z")});
  const auto r = w.enrichment.run();
  CHECK(r.scanned == 1);
  CHECK(r.detected == 0);
}

TEST_CASE("batches go newest first until a short one, within the pass's time", "[defender][enrichment]") {
  World w;
  w.results.append(std::vector<ResultDocument>{stage("s1", "2026-03-27T08:00:00Z"), stage("s2", "2026-03-27T09:00:00Z"),
                                               stage("s3", "2026-03-27T10:00:00Z")});
  EnrichmentOptions one_at_a_time;
  one_at_a_time.batch_size = 1;
  CHECK(w.enrichment.run(one_at_a_time).batches == 3);  // three full batches; the empty scan after is no batch
  EnrichmentOptions two;
  two.batch_size = 2;
  const auto r = w.enrichment.run(two);
  CHECK(r.batches == 2);
  CHECK(r.scanned == 3);
  EnrichmentOptions no_time;
  no_time.max_duration_ms = 0;
  CHECK(w.enrichment.run(no_time).batches == 0);
}

TEST_CASE("REC-11: a detected execution is not asked again, except for a recent stage", "[defender][enrichment]") {
  World w;
  w.results.append(std::vector<ResultDocument>{stage("recent", "2026-03-27T11:00:00Z"), stage("older", "2026-03-27T06:00:00Z"),
                                               ResultBuilder("standalone", at("2026-03-27T11:30:00Z")).host("lt-tpl-l50").code(126)});
  w.alerts.upsert_alerts({alert("a1", "2026-03-27T11:05:00Z", {kBundle + ".exe"}), alert("a2", "2026-03-27T06:05:00Z", {kBundle + ".exe"}),
                          alert("a3", "2026-03-27T11:31:00Z", {"uuid-standalone.exe"})});
  auto first = w.enrichment.run();
  CHECK(first.scanned == 3);
  CHECK(first.detected == 3);
  // Detected: only the recent stage, which may still get its stage alert, is asked again.
  auto second = w.enrichment.run();
  CHECK(second.scanned == 1);
  CHECK(second.detected == 0);
  w.alerts.upsert_alerts({alert("a4", "2026-03-27T11:20:00Z", {kBundle + "-t1053.005.exe"})});
  auto third = w.enrichment.run();
  CHECK(third.stage_detected == 1);
  CHECK(w.enrichment.run().scanned == 0);
}

TEST_CASE("a store that fails is reported in errors, never thrown", "[defender][enrichment]") {
  struct FailingMarks final : DetectionMarks {
    std::vector<UndetectedExecution> undetected_executions(std::int64_t, std::int64_t, std::size_t,
                                                           const std::optional<ExecutionCursor>&) const override {
      throw std::runtime_error("cluster unreachable");
    }
    std::vector<bool> mark_detected(std::span<const DetectionMark>) override { return {}; }
  } failing;
  ManualClock clock(at(kNow));
  TempDir dir;
  embedded::SqliteDefenderStore alerts(dir / "results.db");
  DefenderEnrichmentService enrichment(failing, alerts, clock, [] { return std::int64_t{0}; });
  const auto r = enrichment.run();
  CHECK(r.errors == std::vector<std::string>{"scan: cluster unreachable"});
  CHECK(r.scanned == 0);
}

TEST_CASE("marks made on the embedded store survive a restart", "[defender][enrichment]") {
  TempDir dir;
  ManualClock clock(at(kNow));
  embedded::SqliteDefenderStore alerts(dir / "results.db");
  alerts.upsert_alerts({alert("a1", "2026-03-27T08:05:00Z", {kBundle + "-t1053.005.exe"})});
  {
    embedded::EmbeddedResultsIndex results(dir / "results.db");
    results.append(std::vector<ResultDocument>{stage("s1", "2026-03-27T08:00:00Z")});
    DefenderEnrichmentService enrichment(results, alerts, clock, [] { return std::int64_t{0}; });
    CHECK(enrichment.run().stage_detected == 1);
  }
  embedded::EmbeddedResultsIndex reopened(dir / "results.db");
  const auto docs = reopened.page(everything(), {}).documents;
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].defender_detected);
  CHECK(docs[0].defender_stage_detected);
  CHECK(reopened.undetected_executions(0, INT64_MAX, 10, std::nullopt).empty());
}
