// The ResultsIndex contract: every adapter that can run here answers the
// same questions the same way (the list: contract/results_adapters.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <memory>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/embedded_results_index.hpp"
#include "achilles/errors.hpp"
#include "contract/results_adapters.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using achilles::testing::ResultBuilder;
using namespace achilles::contract;
using achilles::testing::everything;

namespace {
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'737'331'200'000;  // 2025-01-20T00:00:00Z


template <typename Fixture>
void load(Fixture& fx, std::vector<ResultDocument> docs) {
  fx.sink().append(docs);
}

}  // namespace

TEMPLATE_TEST_CASE("an empty index counts nothing", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages) == UnitTally{});
  CHECK(fx.index().tally(everything(), ScoringMode::AnyStage) == UnitTally{});
}

TEMPLATE_TEST_CASE("documents are counted once per id, whatever is re-appended", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  std::vector<ResultDocument> docs{ResultBuilder("a", kT0), ResultBuilder("b", kT0)};
  auto first = fx.sink().append(docs);
  auto second = fx.sink().append(docs);
  CHECK(first.added == 2);
  CHECK(first.duplicates == 0);
  CHECK(second.added == 0);
  // Elasticsearch's index API cannot tell an identical document from a
  // changed one: it reports both as replaced. The embedded store can.
  CHECK(second.duplicates + second.replaced == 2);
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents.units == 2);
}

TEMPLATE_TEST_CASE("a document stored again under its id replaces it (bulk index), create keeps the first", "[contract]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  // The original's writer re-sends a corrected result under the task id: the later one wins.
  std::vector<ResultDocument> first{ResultBuilder("task-1", kT0).code(101).host("h1"), ResultBuilder("task-2", kT0).code(101)};
  fx.sink().append(first);
  std::vector<ResultDocument> corrected{ResultBuilder("task-1", kT0).code(126).host("h2")};
  const auto replaced = fx.sink().append(corrected);
  CHECK(replaced.added == 0);
  CHECK(replaced.replaced == 1);
  auto t = fx.index().tally(everything(), ScoringMode::AllStages);
  CHECK(t.documents == ProtectionTally{2, 1, 1});
  auto page = fx.index().page(everything(), PageQuestion{SortField::EventTime, true, 0, 10});
  CHECK(page.total == 2);
  const auto hosts = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 10));
  REQUIRE(hosts.size() == 2);  // h2 (the corrected task-1) and host-a (task-2); h1 is gone
  CHECK(hosts[0].key == "h2");
  CHECK(hosts[1].key == "host-a");

  // `create` never overwrites.
  std::vector<ResultDocument> late{ResultBuilder("task-1", kT0).code(101).host("h3")};
  const auto kept = fx.sink().append(late, OnStoredId::Keep);
  CHECK(kept.added == 0);
  CHECK(kept.replaced == 0);
  CHECK(kept.duplicates == 1);
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents == ProtectionTally{2, 1, 1});
}

TEMPLATE_TEST_CASE("strict counts is_protected, combined adds Defender detections", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("p1", kT0).code(126), ResultBuilder("p2", kT0).code(105).defender(),
            ResultBuilder("d1", kT0).code(101).defender(), ResultBuilder("u1", kT0).code(101),
            ResultBuilder("u2", kT0).code(101)});
  const auto t = fx.index().tally(everything(), ScoringMode::AllStages);
  CHECK(t.documents == ProtectionTally{5, 2, 3});
  CHECK(t.bundle_runs == ProtectionTally{});
}

TEMPLATE_TEST_CASE("the test-data filter keeps out records without a test uuid or name", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("ok", kT0), ResultBuilder("cleanup", kT0).without_test_uuid()});
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents.units == 1);
  ResultFilter all = everything();
  all.test_data_only = false;
  CHECK(fx.index().tally(all, ScoringMode::AllStages).documents.units == 2);
}

TEMPLATE_TEST_CASE("time bounds are inclusive and documents without a time never match a range", "[contract]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("before", kT0 - 1), ResultBuilder("start", kT0), ResultBuilder("end", kT0 + kDay),
            ResultBuilder("after", kT0 + kDay + 1), ResultBuilder("timeless", kT0).no_time()});
  ResultFilter f;
  f.from_ms = kT0;
  f.to_ms = kT0 + kDay;
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 2);
  ResultFilter open_start;
  open_start.to_ms = kT0;
  CHECK(fx.index().tally(open_start, ScoringMode::AllStages).documents.units == 2);
}

TEMPLATE_TEST_CASE("keyword clauses: values OR within a clause, clauses AND together", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("1", kT0).host("h1").severity("high").techniques({"T1059.001", "T1027"}),
            ResultBuilder("2", kT0).host("h2").severity("high").techniques({"T1003"}),
            ResultBuilder("3", kT0).host("h3").severity("low").techniques({"T1027"})});
  ResultFilter f = everything();
  f.keywords.push_back({{KeywordField::Hostname}, {"h1", "h2", "nope"}});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 2);
  f.keywords.push_back({{KeywordField::Severity}, {"high"}});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 2);
  f.keywords.push_back({{KeywordField::Techniques}, {"T1027"}});  // any element of a multi-valued field
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 1);

  ResultFilter unknown = everything();
  unknown.keywords.push_back({{KeywordField::Hostname}, {"nowhere"}});
  CHECK(fx.index().tally(unknown, ScoringMode::AllStages).units() == 0);
  ResultFilter empty_value = everything();
  empty_value.keywords.push_back({{KeywordField::ThreatActor}, {""}});  // missing never equals ""
  CHECK(fx.index().tally(empty_value, ScoringMode::AllStages).units() == 0);
}

TEMPLATE_TEST_CASE("a clause over several fields matches when any field holds a value", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("1", kT0).test("LSASS Dump", "uuid-lsass"), ResultBuilder("2", kT0).test("Other", "uuid-o")});
  ResultFilter f = everything();
  f.keywords.push_back({{KeywordField::TestName, KeywordField::TestUuid}, {"uuid-lsass"}});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 1);
  f.keywords.back().values = {"LSASS Dump"};
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 1);
}

TEMPLATE_TEST_CASE("exit-code clauses, and a negated one matches a missing code", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("a", kT0).code(126), ResultBuilder("b", kT0).code(101), ResultBuilder("c", kT0).code(0),
            ResultBuilder("d", kT0).code(200), ResultBuilder("e", kT0).no_code()});
  ResultFilter conclusive = everything();
  conclusive.exit_codes.push_back({{101, 105, 126, 127}, false});
  CHECK(fx.index().tally(conclusive, ScoringMode::AllStages).documents.units == 2);
  ResultFilter inconclusive = everything();
  inconclusive.exit_codes.push_back({{101, 105, 126, 127}, true});
  CHECK(fx.index().tally(inconclusive, ScoringMode::AllStages).documents.units == 3);
}

TEMPLATE_TEST_CASE("risk exclusions drop a whole test, a sub-control, or a test on one host", "[contract]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  load(fx, {ResultBuilder("1", kT0).test("Accepted", "u1").host("h1"),
            ResultBuilder("2", kT0).test("Accepted", "u1").host("h2"),
            ResultBuilder("3", kT0).test("Bundle Ctl", "b::c1").bundle("b", "Bundle", "c1"),
            ResultBuilder("4", kT0).test("Bundle Ctl", "b::c2").bundle("b", "Bundle", "c2"),
            ResultBuilder("5", kT0).test("Host Only", "u5").host("h1"),
            ResultBuilder("6", kT0).test("Host Only", "u5").host("h2")});
  ResultFilter f = everything();
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 6);
  f.exclusions.push_back({"Accepted", std::nullopt, std::nullopt});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 4);
  f.exclusions.push_back({"Bundle Ctl", std::string("c2"), std::nullopt});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 3);
  f.exclusions.push_back({"Host Only", std::nullopt, std::string("h2")});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 2);
  f.exclusions.push_back({"Never Ran", std::nullopt, std::nullopt});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 2);
}

TEMPLATE_TEST_CASE("any-stage collapses a multi-stage bundle to one unit per host", "[contract]", RESULTS_ADAPTERS) {
  TestType fx;
  // Bundle B on two hosts, two runs on h1 (no time component in the key),
  // one protected stage on h1 only; a cyber-hygiene bundle never collapses.
  load(fx, {ResultBuilder("s1", kT0).code(101).category("intel-driven").bundle("B", "Chain", "T1").host("h1"),
            ResultBuilder("s2", kT0).code(126).category("intel-driven").bundle("B", "Chain", "T2").host("h1"),
            ResultBuilder("s3", kT0 + 1000).code(101).category("intel-driven").bundle("B", "Chain", "T1").host("h1"),
            ResultBuilder("s4", kT0).code(101).defender().category("intel-driven").bundle("B", "Chain", "T1").host("h2"),
            ResultBuilder("c1", kT0).code(126).category("cyber-hygiene").bundle("CH", "CIS", "C1").host("h1"),
            ResultBuilder("c2", kT0).code(101).category("cyber-hygiene").bundle("CH", "CIS", "C2").host("h1"),
            ResultBuilder("x", kT0).code(101).host("h1")});
  const auto all = fx.index().tally(everything(), ScoringMode::AllStages);
  CHECK(all.documents == ProtectionTally{7, 2, 3});
  CHECK(all.bundle_runs == ProtectionTally{});

  const auto any = fx.index().tally(everything(), ScoringMode::AnyStage);
  CHECK(any.documents == ProtectionTally{3, 1, 1});    // c1, c2, x
  CHECK(any.bundle_runs == ProtectionTally{2, 1, 2});  // (B,h1) strict; (B,h2) by Defender only
  CHECK(any.units() == 5);
}

TEST_CASE("the embedded store keeps every document across a restart", "[contract][embedded]") {
  EmbeddedSqlite fx;
  load(fx, {ResultBuilder("a", kT0).code(126).techniques({"T1", "T2"}).tags({"x"}), ResultBuilder("b", kT0)});
  const auto before = fx.index().tally(everything(), ScoringMode::AllStages);
  fx.engine = std::make_unique<embedded::EmbeddedResultsIndex>(fx.dir / "results.db");
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages) == before);
  ResultFilter f = everything();
  f.keywords.push_back({{KeywordField::Techniques}, {"T2"}});
  CHECK(fx.index().tally(f, ScoringMode::AllStages).documents.units == 1);
}

TEST_CASE("the embedded index sees documents another process committed", "[contract][embedded]") {
  EmbeddedSqlite fx;
  load(fx, {ResultBuilder("a", kT0)});
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 1);
  {
    embedded::SqliteResultsFile other(fx.dir / "results.db");  // what `achilles import` does
    std::vector<ResultDocument> more{ResultBuilder("b", kT0), ResultBuilder("c", kT0), ResultBuilder("a", kT0)};
    auto outcome = other.append(more);
    CHECK(outcome.added == 2);
    CHECK(outcome.duplicates == 1);
  }
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 3);
}

TEST_CASE("the embedded index drops a row another process replaced", "[contract][embedded]") {
  EmbeddedSqlite fx;
  load(fx, {ResultBuilder("task-1", kT0).code(101), ResultBuilder("task-2", kT0).code(101)});
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents == ProtectionTally{2, 0, 0});
  {
    embedded::SqliteResultsFile other(fx.dir / "results.db");  // an import re-sending a corrected task-1
    std::vector<ResultDocument> corrected{ResultBuilder("task-1", kT0).code(126)};
    CHECK(other.append(corrected).replaced == 1);
  }
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents == ProtectionTally{2, 1, 1});
  // And after a restart the file alone gives the same answer.
  fx.engine = std::make_unique<embedded::EmbeddedResultsIndex>(fx.dir / "results.db");
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).documents == ProtectionTally{2, 1, 1});
}

TEST_CASE("stored forms survive a restart: arrays, empty arrays, null, one string, raw times", "[contract][embedded]") {
  EmbeddedSqlite fx;
  ResultDocument d = ResultBuilder("a", kT0)
                         .target(Keywords(std::vector<std::string>{}))
                         .keywords(KeywordField::ThreatActor, Keywords::null())
                         .keywords(KeywordField::Tags, Keywords(std::vector<std::string>{"x", "y\x1fz", ""}))
                         .keywords(KeywordField::Category, Keywords(""))
                         .keywords(KeywordField::Subcategory, Keywords("a\x1f" "b\x1c"))
                         .keywords(KeywordField::OrgId, Keywords(std::vector<std::string>{"o1", "o2"}))
                         .time_text("2025-01-20T12:00:00.123456+00:00")
                         .no_protected_field();
  d.score_is_null = true;
  std::vector<ResultDocument> docs{d};
  fx.sink().append(docs);
  fx.engine = std::make_unique<embedded::EmbeddedResultsIndex>(fx.dir / "results.db");
  const auto page = fx.index().page(everything(), PageQuestion{});
  REQUIRE(page.documents.size() == 1);
  ResultDocument back = page.documents.front();
  back.id = d.id;
  CHECK(back == d);
}

TEST_CASE("a long read hands over every row exactly as stored, whatever the row decoded before it held",
          "[contract][embedded]") {
  // The reader decodes into two batches of 8192 rows that take turns, reusing
  // their documents: rich rows first, then rows of other forms in the same slots.
  EmbeddedSqlite fx;
  auto rich = [](int i) {
    ResultDocument d = ResultBuilder("rich-" + std::to_string(i), kT0 + i)
                           .code(126)
                           .test("Test " + std::to_string(i % 7), "uuid-" + std::to_string(i % 7))
                           .host("host-" + std::to_string(i % 13))
                           .techniques({"T1059.001", "T1\x1f" "059", ""})
                           .tags({"a", "b", "c"})
                           .keywords(KeywordField::Subcategory, Keywords("with\x1c" "escape"))
                           .time_text("2025-01-20T12:00:00.123456789+05:30");
    d.score = 7.5;
    d.is_bundle_control = true;
    d.defender_detected = true;
    return d;
  };
  auto bare = [](int i) {
    ResultDocument d;
    d.id = "bare-" + std::to_string(i);
    return d;
  };
  auto nulls = [](int i) {
    ResultDocument d = ResultBuilder("nulls-" + std::to_string(i), kT0 - i)
                           .no_code()
                           .no_protected_field()
                           .target(Keywords(std::vector<std::string>{}))
                           .keywords(KeywordField::ThreatActor, Keywords::null())
                           .keywords(KeywordField::Techniques, Keywords("one"));
    d.score_is_null = true;
    return d;
  };
  std::vector<ResultDocument> docs;
  for (int i = 0; i < 8192; ++i) docs.push_back(rich(i));
  for (int i = 0; i < 8192; ++i) docs.push_back(rich(i + 8192));
  for (int i = 0; i < 8192; ++i) docs.push_back(i % 2 ? bare(i) : nulls(i));
  for (int i = 0; i < 100; ++i) docs.push_back(i % 2 ? nulls(i + 8192) : bare(i + 8192));
  fx.sink().append(docs);

  embedded::SqliteResultsFile file(fx.dir / "results.db");
  std::vector<ResultDocument> back;
  std::vector<std::int64_t> keys;
  file.read_since(0, [&](auto batch, auto batch_keys, auto) {
    back.insert(back.end(), batch.begin(), batch.end());
    keys.insert(keys.end(), batch_keys.begin(), batch_keys.end());
  });
  REQUIRE(back.size() == docs.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) differing += back[i] == docs[i] ? 0 : 1;
  CHECK(differing == 0);
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
}

TEST_CASE("a server opens the store while an import holds its write lock", "[contract][embedded]") {
  EmbeddedSqlite fx;  // the schema exists
  embedded::SqliteResultsFile import(fx.dir / "results.db");
  import.begin();  // an import's one long transaction
  std::vector<ResultDocument> docs{ResultBuilder("a", kT0)};
  import.add(docs);
  const auto started = std::chrono::steady_clock::now();
  embedded::EmbeddedResultsIndex server(fx.dir / "results.db");  // must not wait for the import
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(server.tally(everything(), ScoringMode::AllStages).units() == 0);  // not committed yet
  import.commit();
  CHECK(server.tally(everything(), ScoringMode::AllStages).units() == 1);
}

TEST_CASE("questions are answered while an archive waits for an import's write lock", "[contract][embedded][store]") {
  EmbeddedSqlite fx;
  std::vector<ResultDocument> before{ResultBuilder("old", kT0)};
  fx.sink().append(before);
  embedded::EmbeddedResultsIndex server(fx.dir / "results.db", std::chrono::seconds(5));
  embedded::SqliteResultsFile import(fx.dir / "results.db");
  import.begin();  // an import's one long transaction
  std::atomic<bool> archiving{false};
  auto archive = std::async(std::launch::async, [&] {
    archiving = true;
    return server.archive(everything());  // waits up to 5 s for the import, then refuses
  });
  while (!archiving) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the archive is now waiting for the lock
  // A question does not queue behind the waiting archive: it is answered
  // while the archive still waits.
  CHECK(server.tally(everything(), ScoringMode::AllStages).units() == 1);
  CHECK(archive.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  import.commit();  // the lock is free: the archive goes on and moves the row
  CHECK(archive.get() == 1);
  CHECK(server.tally(everything(), ScoringMode::AllStages).units() == 0);
}

TEST_CASE("an archive that cannot get the write lock is refused and changes nothing", "[contract][embedded][store]") {
  EmbeddedSqlite fx;
  std::vector<ResultDocument> before{ResultBuilder("old", kT0)};
  fx.sink().append(before);
  embedded::EmbeddedResultsIndex server(fx.dir / "results.db", std::chrono::milliseconds(100));
  embedded::SqliteResultsFile import(fx.dir / "results.db");
  import.begin();
  CHECK_THROWS_AS(server.archive(everything()), BackendUnavailable);
  import.rollback();
  CHECK(server.tally(everything(), ScoringMode::AllStages).units() == 1);
  CHECK(server.archive(everything()) == 1);  // the writer's turn was given back
}
