// The ResultsIndex questions beyond tally: breakdown, histogram, distinct
// count, page and run page, and archiving, on every adapter available here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <map>
#include <set>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/embedded_results_index.hpp"
#include "contract/results_adapters.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using achilles::testing::ResultBuilder;
using namespace achilles::contract;
using achilles::testing::everything;

namespace {
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'737'331'200'000;  // 2025-01-20T00:00:00Z, a Monday


std::vector<ResultDocument> fleet() {
  return {ResultBuilder("1", kT0).host("h1").severity("high").code(126).techniques({"T1", "T2"}),
          ResultBuilder("2", kT0 + 1000).host("h1").severity("low").code(101).techniques({"T1"}),
          ResultBuilder("3", kT0 + kDay).host("h2").severity("high").code(101).defender(),
          ResultBuilder("4", kT0 + 3 * kDay).host("h3").severity("high").code(0),
          ResultBuilder("5", kT0 + 3 * kDay).host("h2").code(126)};
}

}  // namespace

TEMPLATE_TEST_CASE("breakdown buckets order by document count, then key", "[contract][breakdown]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  auto hosts = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 10));
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0].key == "h1");
  CHECK(hosts[0].documents == 2);
  CHECK(hosts[0].tally.documents == ProtectionTally{2, 1, 1});
  CHECK(hosts[1].key == "h2");
  CHECK(hosts[1].tally.documents == ProtectionTally{2, 1, 2});
  CHECK(hosts[2].key == "h3");
  CHECK(fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 1)).size() == 1);

  auto severity = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Severity), 10));
  REQUIRE(severity.size() == 2);  // a document without a severity is in no bucket
  CHECK(severity[0].key == "high");
  CHECK(severity[0].documents == 3);

  auto techniques = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Techniques), 10));
  REQUIRE(techniques.size() == 2);  // one bucket per value of a multi-valued field
  CHECK(techniques[0].key == "T1");
  CHECK(techniques[0].documents == 2);

  auto codes = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::error_code(), 10));
  REQUIRE(codes.size() == 3);
  CHECK(codes[0].key == "101");
  CHECK(codes[1].key == "126");
  CHECK(codes[2].key == "0");
}

TEMPLATE_TEST_CASE("breakdowns nest, count distinct values, and collapse bundle runs per bucket", "[contract][breakdown]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(std::vector<ResultDocument>{
      ResultBuilder("a", kT0).host("h1").test("X", "ux").code(126),
      ResultBuilder("b", kT0).host("h1").test("Y", "uy").code(101),
      ResultBuilder("c", kT0).host("h1").test("Y", "uy").code(101),
      ResultBuilder("s1", kT0).host("h2").test("Stage", "B::1").category("intel-driven").bundle("B", "Chain", "1").code(101),
      ResultBuilder("s2", kT0 + 5).host("h2").test("Stage", "B::1").category("intel-driven").bundle("B", "Chain", "1").code(126)});
  auto q = BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 10, ScoringMode::AnyStage);
  q.then_by = Dimension::keyword(KeywordField::TestName);
  q.distinct = KeywordField::TestUuid;
  auto hosts = fx.index().breakdown(everything(), q);
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].key == "h1");
  CHECK(hosts[0].distinct == 2);
  REQUIRE(hosts[0].sub.size() == 2);
  CHECK(hosts[0].sub[0].key == "Y");
  CHECK(hosts[0].sub[0].documents == 2);
  CHECK(hosts[1].documents == 2);
  CHECK(hosts[1].tally.bundle_runs == ProtectionTally{1, 1, 1});  // two runs of B on h2: one unit
  CHECK(hosts[1].tally.units() == 1);
}

TEMPLATE_TEST_CASE("histograms cover first to last bucket with data, empty ones included", "[contract][histogram]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  auto days = fx.index().histogram(everything(), {CalendarInterval::Day, ScoringMode::AllStages});
  REQUIRE(days.size() == 4);
  CHECK(days[0].start_ms == kT0);
  CHECK(days[0].documents == 2);
  CHECK(days[0].tally.documents.strict == 1);
  CHECK(days[2].documents == 0);
  CHECK(days[3].start_ms == kT0 + 3 * kDay);
  auto weeks = fx.index().histogram(everything(), {CalendarInterval::Week, ScoringMode::AllStages});
  REQUIRE(weeks.size() == 1);
  CHECK(weeks[0].documents == 5);
  auto months = fx.index().histogram(everything(), {CalendarInterval::Month, ScoringMode::AllStages});
  REQUIRE(months.size() == 1);
  CHECK(months[0].start_ms == kT0 - 19 * kDay);  // 2025-01-01
  ResultFilter nothing = everything();
  nothing.keywords.push_back({{KeywordField::Hostname}, {"nowhere"}});
  CHECK(fx.index().histogram(nothing, {CalendarInterval::Day, ScoringMode::AllStages}).empty());
}

TEMPLATE_TEST_CASE("histograms also count documents per exit-code set", "[contract][histogram]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  HistogramQuestion q{CalendarInterval::Day, ScoringMode::AllStages, {{0, 1, 259, 999}, {101, 105, 126, 127}}};
  auto days = fx.index().histogram(everything(), q);
  REQUIRE(days.size() == 4);
  CHECK(days[0].code_set_documents == std::vector<std::int64_t>{0, 2});
  CHECK(days[2].code_set_documents == std::vector<std::int64_t>{0, 0});  // an empty day still has its counts
  CHECK(days[3].code_set_documents == std::vector<std::int64_t>{1, 1});
}

TEMPLATE_TEST_CASE("distinct counts count each value once", "[contract][distinct]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  CHECK(fx.index().distinct_count(everything(), KeywordField::Hostname) == 3);
  CHECK(fx.index().distinct_count(everything(), KeywordField::Techniques) == 2);
  CHECK(fx.index().distinct_count(everything(), KeywordField::ThreatActor) == 0);
}

TEMPLATE_TEST_CASE("pages sort by the asked field, missing values last, and report the total", "[contract][page]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  PageQuestion q;
  q.limit = 2;
  auto latest = fx.index().page(everything(), q);
  CHECK(latest.total == 5);
  REQUIRE(latest.documents.size() == 2);
  CHECK(latest.documents[0].event_time_ms == kT0 + 3 * kDay);
  q.offset = 4;
  auto last = fx.index().page(everything(), q);
  REQUIRE(last.documents.size() == 1);
  CHECK(last.documents[0].event_time_ms == kT0);
  CHECK(last.documents[0].techniques == std::vector<std::string>{"T1", "T2"});
  q.offset = 10;
  CHECK(fx.index().page(everything(), q).documents.empty());

  PageQuestion by_severity{SortField::Severity, false, 0, 5};
  auto sorted = fx.index().page(everything(), by_severity);
  CHECK(sorted.documents[0].severity == "high");
  CHECK(sorted.documents[3].severity == "low");
  CHECK(sorted.documents[4].severity.empty());  // missing last, ascending
  by_severity.descending = true;
  sorted = fx.index().page(everything(), by_severity);
  CHECK(sorted.documents[0].severity == "low");
  CHECK(sorted.documents[4].severity.empty());  // and descending
}

TEMPLATE_TEST_CASE("run pages group bundle controls and standalone runs by key", "[contract][page]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(std::vector<ResultDocument>{
      ResultBuilder("c1", kT0).category("cyber-hygiene").bundle("B", "CIS", "C1").host("h1").code(126),
      ResultBuilder("c2", kT0).category("cyber-hygiene").bundle("B", "CIS", "C2").host("h1").code(101),
      ResultBuilder("c3", kT0 + 1).category("cyber-hygiene").bundle("B", "CIS", "C1").host("h1").code(101),
      ResultBuilder("s", kT0 - 5).test("S", "uuid-s").host("h1")});
  PageQuestion q;
  q.limit = 10;
  auto page = fx.index().run_page(everything(), q);
  CHECK(page.total_runs == 3);
  CHECK(page.total_documents == 4);
  REQUIRE(page.runs.size() == 3);
  CHECK(page.runs[0].key == "bundle::B::h1::" + std::to_string(kT0 + 1));
  CHECK(page.runs[1].key == "bundle::B::h1::" + std::to_string(kT0));
  CHECK(page.runs[1].bundle);
  CHECK(page.runs[1].members.size() == 2);
  CHECK(page.runs[2].key == "standalone::uuid-s::h1::" + std::to_string(kT0 - 5));
  q.offset = 1;
  q.limit = 1;
  auto second = fx.index().run_page(everything(), q);
  REQUIRE(second.runs.size() == 1);
  CHECK(second.runs[0].latest_ms == kT0);
}

TEMPLATE_TEST_CASE("archived documents leave every question, archiving twice moves nothing", "[contract][archive]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  ResultFilter h1 = everything();
  h1.keywords.push_back({{KeywordField::Hostname}, {"h1"}});
  CHECK(fx.archive().archive(h1) == 2);
  CHECK(fx.archive().archive(h1) == 0);
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 3);
  CHECK(fx.index().distinct_count(everything(), KeywordField::Hostname) == 2);
  CHECK(fx.index().page(everything(), PageQuestion{}).total == 3);

  ResultFilter run = everything();
  run.runs.push_back({false, "uuid-3", "h2", kT0 + kDay});
  CHECK(fx.archive().archive(run) == 1);
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 2);
}

TEST_CASE("the archive survives a restart and archived ids are not imported again", "[contract][archive][embedded]") {
  EmbeddedSqlite fx;
  fx.sink().append(fleet());
  ResultFilter h1 = everything();
  h1.keywords.push_back({{KeywordField::Hostname}, {"h1"}});
  REQUIRE(fx.archive().archive(h1) == 2);
  fx.engine = std::make_unique<embedded::EmbeddedResultsIndex>(fx.dir / "results.db");
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 3);
  auto again = fx.sink().append(fleet());
  CHECK(again.added == 0);
  CHECK(again.duplicates == 5);
  CHECK(fx.index().tally(everything(), ScoringMode::AllStages).units() == 3);
  CHECK(embedded::SqliteResultsFile(fx.dir / "results.db").archived_count() == 2);
}

TEMPLATE_TEST_CASE("questions asked together are answered in order as if asked one by one", "[contract][batch]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(fleet());
  ResultFilter high = everything();
  high.keywords.push_back({{KeywordField::Severity}, {"high"}});
  const auto hosts = BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 10);
  const HistogramQuestion days{CalendarInterval::Day, ScoringMode::AllStages, {}};
  const BatchedQuestion asked[] = {TallyAsk{everything(), ScoringMode::AllStages}, TallyAsk{high, ScoringMode::AnyStage},
                                   BreakdownAsk{high, hosts}, HistogramAsk{everything(), days},
                                   DistinctAsk{everything(), KeywordField::Hostname}};
  const auto answers = fx.index().ask_all(asked);
  REQUIRE(answers.size() == 5);
  CHECK(std::get<UnitTally>(answers[0]).units() == 5);
  CHECK(std::get<UnitTally>(answers[0]) == fx.index().tally(everything(), ScoringMode::AllStages));
  CHECK(std::get<UnitTally>(answers[1]).units() == 3);
  CHECK(std::get<UnitTally>(answers[1]) == fx.index().tally(high, ScoringMode::AnyStage));
  const auto& buckets = std::get<std::vector<Bucket>>(answers[2]);
  REQUIRE(buckets.size() == 3);
  const auto alone = fx.index().breakdown(high, hosts);
  REQUIRE(alone.size() == buckets.size());
  for (std::size_t i = 0; i < alone.size(); ++i) {
    CHECK(buckets[i].key == alone[i].key);
    CHECK(buckets[i].documents == alone[i].documents);
    CHECK(buckets[i].tally == alone[i].tally);
  }
  const auto& series = std::get<std::vector<TimeBucket>>(answers[3]);
  CHECK(series.size() == 4);  // 4 days, the empty one included
  const auto series_alone = fx.index().histogram(everything(), days);
  REQUIRE(series_alone.size() == series.size());
  for (std::size_t i = 0; i < series.size(); ++i) {
    CHECK(series[i].start_ms == series_alone[i].start_ms);
    CHECK(series[i].tally == series_alone[i].tally);
  }
  CHECK(std::get<std::int64_t>(answers[4]) == 3);

  CHECK(fx.index().ask_all({}).empty());
}

TEMPLATE_TEST_CASE("a page past the first 10,000 results reads like any other page", "[contract][page][deep]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  constexpr int kDocuments = 10'040;
  std::vector<ResultDocument> docs;
  for (int i = 0; i < kDocuments; ++i)
    docs.push_back(ResultBuilder("d" + std::to_string(i), kT0 + i * 1000LL).host("h" + std::to_string(i % 3)).code(101));
  fx.sink().append(docs);

  PageQuestion newest_first;
  newest_first.offset = 10'010;
  newest_first.limit = 25;
  const auto deep = fx.index().page(everything(), newest_first);
  CHECK(deep.total == kDocuments);
  REQUIRE(deep.documents.size() == 25);
  // Times are unique: document i was at kT0 + i seconds.
  for (int i = 0; i < 25; ++i) CHECK(deep.documents[i].event_time_ms == kT0 + (kDocuments - 1 - 10'010 - i) * 1000LL);

  PageQuestion oldest_first{SortField::EventTime, false, 10'030, 25};
  const auto last = fx.index().page(everything(), oldest_first);
  REQUIRE(last.documents.size() == 10);  // only 10 left
  CHECK(last.documents.front().event_time_ms == kT0 + 10'030 * 1000LL);
  CHECK(last.documents.back().event_time_ms == kT0 + 10'039 * 1000LL);
  oldest_first.offset = 20'000;
  const auto beyond = fx.index().page(everything(), oldest_first);
  CHECK(beyond.documents.empty());
  CHECK(beyond.total == kDocuments);

  // Many equal values: neighbouring pages across the 10,000 boundary neither repeat nor skip a document.
  PageQuestion by_host{SortField::Hostname, false, 9'980, 20};
  const auto before = fx.index().page(everything(), by_host);
  by_host.offset = 10'000;
  const auto after = fx.index().page(everything(), by_host);
  REQUIRE(before.documents.size() == 20);
  REQUIRE(after.documents.size() == 20);
  std::set<std::int64_t> seen;
  for (const auto* page : {&before, &after})
    for (const auto& d : page->documents) {
      CHECK(d.hostname == "h2");  // h0 and h1 hold the first 6,694 (3,347 each)
      seen.insert(*d.event_time_ms);
    }
  CHECK(seen.size() == 40);
}

TEMPLATE_TEST_CASE("key pairs come in key order, the first `size` of them, one per combination of values",
                   "[contract][pairs]", RESULTS_ADAPTERS) {
  TestType fx;
  std::vector<ResultDocument> docs{
      ResultBuilder("1", kT0).host("h2").test("B", "u-b"), ResultBuilder("2", kT0).host("h1").test("B", "u-b"),
      ResultBuilder("3", kT0).host("h1").test("A", "u-a"), ResultBuilder("4", kT0).host("h1").test("B", "u-b"),
      // A multi-valued hostname holds a pair with each value; one without a host holds none.
      ResultBuilder("5", kT0).keywords(KeywordField::Hostname, Keywords(std::vector<std::string>{"h3", "h0"})).test("A", "u-a"),
      ResultBuilder("6", kT0).keywords(KeywordField::Hostname, Keywords()).test("A", "u-a")};
  fx.sink().append(docs);
  const KeyPairQuestion q{KeywordField::Hostname, KeywordField::TestName, 10};
  CHECK(fx.index().key_pairs(everything(), q) ==
        std::vector<KeyPairBucket>{{"h0", "A", 1}, {"h1", "A", 1}, {"h1", "B", 2}, {"h2", "B", 1}, {"h3", "A", 1}});
  CHECK(fx.index().key_pairs(everything(), KeyPairQuestion{KeywordField::Hostname, KeywordField::TestName, 2}) ==
        std::vector<KeyPairBucket>{{"h0", "A", 1}, {"h1", "A", 1}});
}

TEMPLATE_TEST_CASE("a multi-valued keyword: a term matches any value, a terms bucket counts the document once per value",
                   "[contract][multi-valued]", RESULTS_ADAPTERS) {
  TestType fx;
  using V = std::vector<std::string>;
  std::vector<ResultDocument> docs{
      ResultBuilder("1", kT0).code(126).target(Keywords(V{"windows-endpoint", "linux-endpoint"})),
      ResultBuilder("2", kT0).code(101).target(Keywords(V{"windows-endpoint"})),
      ResultBuilder("3", kT0).code(101).target(Keywords("windows-endpoint")),
      ResultBuilder("4", kT0).code(101).target(Keywords(V{})),
      ResultBuilder("5", kT0).code(101).target(Keywords::null()),
      // The same value twice counts once, as in doc values.
      ResultBuilder("6", kT0).code(126).target(Keywords(V{"linux-endpoint", "linux-endpoint"})),
      // Any keyword field may hold several values: the category test of the any-stage rule reads them all.
      ResultBuilder("7", kT0).code(126).keywords(KeywordField::Category, Keywords(V{"cyber-hygiene", "intel-driven"}))};
  fx.sink().append(docs);
  auto targets = fx.index().breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Target), 10));
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].key == "windows-endpoint");
  CHECK(targets[0].documents == 3);
  CHECK(targets[1].key == "linux-endpoint");
  CHECK(targets[1].documents == 2);
  CHECK(fx.index().distinct_count(everything(), KeywordField::Target) == 2);

  ResultFilter linux = everything();
  linux.keywords.push_back({{KeywordField::Target}, {"linux-endpoint"}});
  CHECK(fx.index().tally(linux, ScoringMode::AllStages).documents == ProtectionTally{2, 2, 2});
  ResultFilter category = everything();
  category.keywords.push_back({{KeywordField::Category}, {"intel-driven"}});
  CHECK(fx.index().tally(category, ScoringMode::AllStages).documents.units == 1);
  ResultFilter attack = everything();
  attack.attack_simulation_only = true;  // must_not category cyber-hygiene: any value excludes
  CHECK(fx.index().tally(attack, ScoringMode::AllStages).documents.units == 6);
}

TEMPLATE_TEST_CASE("a multi-valued keyword sorts by its smallest value ascending and its largest descending",
                   "[contract][multi-valued]", RESULTS_ADAPTERS) {
  TestType fx;
  using V = std::vector<std::string>;
  std::vector<ResultDocument> docs{ResultBuilder("1", kT0).test("M", "u1").keywords(KeywordField::TestName, Keywords(V{"M", "A", "Z"})),
                                   ResultBuilder("2", kT0 + 1).test("B", "u2"), ResultBuilder("3", kT0 + 2).test("Y", "u3")};
  fx.sink().append(docs);
  auto ids = [&](bool descending) {
    std::vector<std::string> out;
    for (const auto& d : fx.index().page(everything(), PageQuestion{SortField::TestName, descending, 0, 10}).documents)
      out.push_back(d.test_uuid.first());
    return out;
  };
  CHECK(ids(false) == std::vector<std::string>{"u1", "u2", "u3"});  // A < B < Y
  CHECK(ids(true) == std::vector<std::string>{"u1", "u3", "u2"});   // Z > Y > B
}

TEMPLATE_TEST_CASE("coverage counts unprotected only where is_protected is stored false", "[contract][breakdown]",
                   RESULTS_ADAPTERS) {
  TestType fx;
  std::vector<ResultDocument> docs{ResultBuilder("1", kT0).test("T", "u").code(126), ResultBuilder("2", kT0).test("T", "u").code(101),
                                   ResultBuilder("3", kT0).test("T", "u").code(0),
                                   ResultBuilder("4", kT0).test("T", "u").code(101).no_protected_field()};
  fx.sink().append(docs);
  auto q = BreakdownQuestion::top(Dimension::keyword(KeywordField::TestName), 10);
  q.count_unprotected = true;
  const auto buckets = fx.index().breakdown(everything(), q);
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0].documents == 4);
  CHECK(buckets[0].tally.documents.strict == 1);
  CHECK(buckets[0].unprotected_documents == 2);  // 101 and 0; the document without the field in neither column
}

TEMPLATE_TEST_CASE("the execution timeline: one time per document and distinct technique, with its host when asked",
                   "[contract][timeline]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(std::vector<ResultDocument>{ResultBuilder("1", kT0).host("h1").techniques({"T1003.001", "T1059", "T1003.001"}),
                    ResultBuilder("2", kT0 + 1000).host("h2").techniques({"T1003.001"}),
                    ResultBuilder("3", kT0 + 1000).host("h2").techniques({"T1003.001"}),
                    ResultBuilder("4", kT0 + 2000).techniques({"T1486"}).keywords(KeywordField::Hostname, Keywords()),
                    ResultBuilder("5", kT0 + 3000).host("h1"),
                    ResultBuilder("6", kT0 + 4000).host("h1").techniques({"T1486"}).no_time()});
  auto sorted = [](ExecutionTimeline t) {
    std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> out;
    for (const auto& te : t.techniques)
      for (std::size_t i = 0; i < te.times_ms.size(); ++i)
        out[te.technique].emplace_back(te.times_ms[i], te.host_ids.empty() ? "-" : t.hosts.at(te.host_ids[i]));
    for (auto& [k, v] : out) std::sort(v.begin(), v.end());
    return out;
  };
  using Row = std::vector<std::pair<std::int64_t, std::string>>;
  const auto plain = sorted(fx.index().execution_timeline(everything(), false));
  CHECK(plain.size() == 3);
  CHECK(plain.at("T1003.001") == Row{{kT0, "-"}, {kT0 + 1000, "-"}, {kT0 + 1000, "-"}});
  CHECK(plain.at("T1059") == Row{{kT0, "-"}});
  CHECK(plain.at("T1486") == Row{{kT0 + 2000, "-"}});
  const auto hosted = sorted(fx.index().execution_timeline(everything(), true));
  CHECK(hosted.at("T1003.001") == Row{{kT0, "h1"}, {kT0 + 1000, "h2"}, {kT0 + 1000, "h2"}});
  CHECK(hosted.at("T1486") == Row{{kT0 + 2000, ""}});  // no host: still an execution
  ResultFilter later = everything();
  later.from_ms = kT0 + 500;
  later.requires_event_time = true;
  CHECK(sorted(fx.index().execution_timeline(later, false)).size() == 2);
}

TEMPLATE_TEST_CASE("enrichment candidates: conclusive, not yet detected, newest first, and marks that stick",
                   "[contract][detection-marks]", RESULTS_ADAPTERS) {
  TestType fx;
  fx.sink().append(std::vector<ResultDocument>{
      ResultBuilder("a", kT0 + 3000).host("h1").code(126).bundle("b-1", "Bundle One", "T1003.001"),
      ResultBuilder("b", kT0 + 2000).host("h1").code(101),
      ResultBuilder("c", kT0 + 1000).host("h2").code(127).defender(),
      ResultBuilder("d", kT0 + 4000).host("h2").code(0),
      ResultBuilder("e", kT0 + 5000).host("h2").code(126).category("cyber-hygiene"),
      ResultBuilder("f", kT0 - kDay).host("h2").code(105)});
  auto& marks = fx.marks();
  auto ids_and_times = [](const std::vector<UndetectedExecution>& list) {
    std::vector<std::int64_t> out;
    for (const auto& e : list) out.push_back(e.event_time_ms);
    return out;
  };
  const auto all = marks.undetected_executions(kT0 - 1, INT64_MAX, 10, std::nullopt);
  CHECK(ids_and_times(all) == std::vector<std::int64_t>{kT0 + 3000, kT0 + 2000});
  REQUIRE(all.size() == 2);
  CHECK(all[0].fields.test_uuid == "b-1::T1003.001");
  CHECK(all[0].fields.hostname == "h1");
  CHECK(all[0].fields.control_id == "T1003.001");
  CHECK(all[0].fields.bundle_name == "Bundle One");
  CHECK(alert_time_ms(all[0].fields.event_time) == kT0 + 3000);
  const auto first = marks.undetected_executions(kT0 - 1, INT64_MAX, 1, std::nullopt);
  REQUIRE(first.size() == 1);
  const auto next = marks.undetected_executions(kT0 - 1, INT64_MAX, 1, ExecutionCursor{first[0].event_time_ms, first[0].id});
  CHECK(ids_and_times(next) == std::vector<std::int64_t>{kT0 + 2000});

  const std::vector<DetectionMark> set = {{all[0].id, all[0].index, true, false}, {all[1].id, all[1].index, true, true}};
  CHECK(marks.mark_detected(set) == std::vector<bool>{true, true});
  // "a" is detected without its stage and holds a control id: asked again while recent.
  CHECK(ids_and_times(marks.undetected_executions(kT0 - 1, kT0, 10, std::nullopt)) == std::vector<std::int64_t>{kT0 + 3000});
  CHECK(marks.undetected_executions(kT0 - 1, kT0 + 4000, 10, std::nullopt).empty());
  std::int64_t detected = 0, stage = 0;
  for (const auto& d : fx.index().page(everything(), {SortField::EventTime, true, 0, 10}).documents)
    detected += d.defender_detected, stage += d.defender_stage_detected;
  CHECK(detected == 3);
  CHECK(stage == 1);
}
