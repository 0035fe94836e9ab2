// The optimized embedded engine against a straightforward reference
// evaluation, on generated data and random questions: the Elasticsearch
// adapter over the fake cluster of tests/fakes, which evaluates the query
// DSL it is sent document by document. The engine is checked in the layouts
// its optimizations create: rows as appended, rows arranged by event time,
// and arranged rows followed by an unordered tail.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "achilles/demo/demo_results.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/query/keyword_fields.hpp"
#include "contract/results_adapters.hpp"

using namespace achilles;
using namespace achilles::contract;

namespace {

constexpr std::int64_t kNow = 1'764'460'800'000;  // 2025-11-30T00:00:00Z
constexpr std::int64_t kDay = 86'400'000;

std::vector<ResultDocument> generated(std::size_t n, std::uint64_t seed) {
  std::vector<ResultDocument> docs;
  DemoOptions options;
  options.executions = n;
  options.seed = seed;
  options.days = 30;
  options.now_ms = kNow;
  generate_demo_results(options, [&](const ResultDocument& d) { docs.push_back(d); });
  // Shapes the original's writers also store: a field absent, null, an
  // empty array, several values where one is usual. (Every document keeps a
  // host: the run keys read doc[hostname].value, which Elasticsearch refuses
  // on a document without one.)
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i % 53 == 7) docs[i].techniques = Keywords(std::vector<std::string>{});
    if (i % 61 == 11) docs[i].hostname = Keywords(std::vector<std::string>{"WS-MULTI-01", "WS-MULTI-02"});
    if (i % 71 == 13) docs[i].test_name = Keywords::null();
    if (i % 83 == 17) docs[i].category = Keywords();
  }
  return docs;
}

// A random question filter: time windows of every width (or none), keyword
// and exit-code clauses drawn from the data's own values, and the flags the
// analytics filters set.
ResultFilter random_filter(std::mt19937_64& rng, const std::vector<ResultDocument>& docs) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  auto chance = [&](int percent) { return static_cast<int>(pick(100)) < percent; };
  ResultFilter f;
  f.test_data_only = chance(80);
  if (chance(85)) {
    const std::int64_t widths[] = {kDay / 24, kDay, 3 * kDay, 7 * kDay, 30 * kDay, 40 * kDay};
    const std::int64_t width = widths[pick(6)];
    const std::int64_t to = kNow - static_cast<std::int64_t>(pick(static_cast<std::size_t>(32 * kDay / 60'000))) * 60'000;
    f.from_ms = to - width;
    if (chance(60)) f.to_ms = to;
  } else {
    f.requires_event_time = chance(50);
  }
  auto values_of = [&](KeywordField field) {
    std::set<std::string> seen;
    for (int i = 0; i < 6; ++i)
      for (const auto& v : keywords_of(docs[pick(docs.size())], field).values()) seen.insert(v);
    return std::vector<std::string>(seen.begin(), seen.end());
  };
  if (chance(35)) f.keywords.push_back({{KeywordField::Hostname}, values_of(KeywordField::Hostname)});
  if (chance(25)) f.keywords.push_back({{KeywordField::Techniques}, values_of(KeywordField::Techniques)});
  if (chance(15)) f.keywords.push_back({{KeywordField::OrgId}, values_of(KeywordField::OrgId)});
  if (chance(25)) f.exit_codes.push_back({{101, 105, 126, 127}, chance(50)});
  // The error rate's clauses, which the engine answers from row flags, and
  // sets it answers from the code column.
  if (chance(25)) f.exit_codes.push_back({chance(50) ? std::vector<std::int64_t>{0, 1, 259, 999} : std::vector<std::int64_t>{999, 259, 1, 0}, chance(30)});
  if (chance(25)) f.exit_codes.push_back({{200}, chance(70)});
  if (chance(10)) f.exit_codes.push_back({{0, 200, 101}, chance(50)});
  f.attack_simulation_only = chance(30);
  return f;
}

std::vector<ResultDocument> without_ids(std::vector<ResultDocument> docs) {
  for (auto& d : docs) d.id.clear();
  return docs;
}

void same_buckets(const std::vector<Bucket>& got, const std::vector<Bucket>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("bucket " << i << " " << want[i].key);
    CHECK(got[i].key == want[i].key);
    CHECK(got[i].documents == want[i].documents);
    CHECK(got[i].tally == want[i].tally);
    CHECK(got[i].distinct == want[i].distinct);
    CHECK(got[i].unprotected_documents == want[i].unprotected_documents);
    same_buckets(got[i].sub, want[i].sub);
  }
}

// Every question the analytics routes ask, answered by `engine` as by `reference`.
void answers_alike(const ResultsIndex& engine, const ResultsIndex& reference, const ResultFilter& f) {
  for (auto mode : {ScoringMode::AllStages, ScoringMode::AnyStage}) CHECK(engine.tally(f, mode) == reference.tally(f, mode));

  // Tallies asked together, which the engine answers in one pass: another
  // exit-code clause, and another window that cuts through time blocks.
  ResultFilter errors = f;
  errors.exit_codes.push_back({{0, 1, 259, 999}, false});
  ResultFilter later = f;
  later.from_ms = f.from_ms.value_or(kNow - 30 * kDay) + 2 * kDay + 12'345;
  const BatchedQuestion together[] = {TallyAsk{f, ScoringMode::AllStages}, TallyAsk{errors, ScoringMode::AllStages},
                                      TallyAsk{later, ScoringMode::AnyStage}};
  const auto answers = engine.ask_all(together);
  REQUIRE(answers.size() == 3);
  CHECK(std::get<UnitTally>(answers[0]) == reference.tally(f, ScoringMode::AllStages));
  CHECK(std::get<UnitTally>(answers[1]) == reference.tally(errors, ScoringMode::AllStages));
  CHECK(std::get<UnitTally>(answers[2]) == reference.tally(later, ScoringMode::AnyStage));

  auto by_host = BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 50);
  by_host.distinct = KeywordField::TestUuid;
  same_buckets(engine.breakdown(f, by_host), reference.breakdown(f, by_host));
  auto by_technique = BreakdownQuestion::top(Dimension::keyword(KeywordField::Techniques), 50);
  by_technique.mode = ScoringMode::AnyStage;
  same_buckets(engine.breakdown(f, by_technique), reference.breakdown(f, by_technique));
  auto by_category = BreakdownQuestion::top(Dimension::keyword(KeywordField::Category), 20);
  by_category.then_by = Dimension::keyword(KeywordField::Subcategory);
  by_category.then_size = 20;
  same_buckets(engine.breakdown(f, by_category), reference.breakdown(f, by_category));
  by_category.mode = ScoringMode::AnyStage;  // bundle runs counted per bucket and per nested bucket
  by_category.count_unprotected = true;
  same_buckets(engine.breakdown(f, by_category), reference.breakdown(f, by_category));
  auto by_actor = BreakdownQuestion::top(Dimension::keyword(KeywordField::ThreatActor), 50, ScoringMode::AnyStage);
  by_actor.distinct = KeywordField::TestUuid;
  same_buckets(engine.breakdown(f, by_actor), reference.breakdown(f, by_actor));
  const auto by_code = BreakdownQuestion::top(Dimension::error_code(), 20);
  same_buckets(engine.breakdown(f, by_code), reference.breakdown(f, by_code));

  if (f.requires_event_time && f.from_ms) {
    HistogramQuestion daily;
    daily.code_sets = {{101, 105}, {126, 127}};
    const auto got = engine.histogram(f, daily), want = reference.histogram(f, daily);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].start_ms == want[i].start_ms);
      CHECK(got[i].documents == want[i].documents);
      CHECK(got[i].tally == want[i].tally);
      CHECK(got[i].code_set_documents == want[i].code_set_documents);
    }
  }
  CHECK(engine.distinct_count(f, KeywordField::Hostname) == reference.distinct_count(f, KeywordField::Hostname));
  for (const KeyPairQuestion& q : {KeyPairQuestion{KeywordField::Hostname, KeywordField::TestName, 1000},
                                   KeyPairQuestion{KeywordField::Techniques, KeywordField::Hostname, 1000}})
    CHECK(engine.key_pairs(f, q) == reference.key_pairs(f, q));

  for (const PageQuestion& q : {PageQuestion{SortField::EventTime, true, 0, 25}, PageQuestion{SortField::EventTime, false, 40, 25},
                                PageQuestion{SortField::TestName, false, 10, 25}, PageQuestion{SortField::Hostname, true, 0, 30}}) {
    const auto got = engine.page(f, q), want = reference.page(f, q);
    CHECK(got.total == want.total);
    CHECK(without_ids(got.documents) == without_ids(want.documents));
  }
  for (const PageQuestion& q : {PageQuestion{SortField::EventTime, true, 0, 25}, PageQuestion{SortField::EventTime, false, 20, 10}}) {
    const auto got = engine.run_page(f, q), want = reference.run_page(f, q);
    CHECK(got.total_runs == want.total_runs);
    CHECK(got.total_documents == want.total_documents);
    REQUIRE(got.runs.size() == want.runs.size());
    for (std::size_t i = 0; i < got.runs.size(); ++i) {
      CHECK(got.runs[i].key == want.runs[i].key);
      CHECK(without_ids(got.runs[i].members) == without_ids(want.runs[i].members));
    }
  }
}

}  // namespace

TEST_CASE("the embedded engine answers random questions on generated data as the reference evaluation does, in every row arrangement",
          "[contract][engine-reference]") {
  const std::uint64_t seed = GENERATE(7u, 2026u);
  // Several time blocks (Columns::kBlockRows rows each), times in random order.
  const auto docs = generated(7000, seed);
  const std::size_t ordered_part = 5000;

  ElasticsearchThroughFake reference;
  reference.sink().append(docs);

  embedded::ColumnStore as_appended;
  as_appended.append(docs);

  embedded::ColumnStore arranged;
  arranged.append(docs);
  REQUIRE(arranged.arrange_by_time());

  embedded::ColumnStore arranged_then_tail;
  arranged_then_tail.append(std::span(docs).first(ordered_part));
  REQUIRE(arranged_then_tail.arrange_by_time());
  arranged_then_tail.append(std::span(docs).subspan(ordered_part));
  REQUIRE_FALSE(arranged_then_tail.arrange_by_time(docs.size()));  // the tail stays as it came

  std::mt19937_64 rng(seed);
  for (int round = 0; round < 5; ++round) {
    const ResultFilter f = random_filter(rng, docs);
    INFO("seed " << seed << ", round " << round);
    {
      INFO("rows as appended");
      answers_alike(as_appended, reference.index(), f);
    }
    {
      INFO("rows arranged by time");
      answers_alike(arranged, reference.index(), f);
    }
    {
      INFO("arranged rows, then an unordered tail");
      answers_alike(arranged_then_tail, reference.index(), f);
    }
  }
}

TEST_CASE("arranging rows by time keeps detection flags, archiving and replacement addressed to the right documents",
          "[contract][engine-reference]") {
  const auto docs = generated(5000, 11);
  embedded::ColumnStore store;
  store.append(docs);
  REQUIRE(store.arrange_by_time());

  // Storage keys still name the documents they named before (in-memory keys are append positions).
  const auto undetected = store.undetected_executions(kNow - 40 * kDay, kNow, 5, std::nullopt);
  REQUIRE(undetected.size() == 5);
  std::vector<DetectionMark> marks;
  for (const auto& e : undetected) marks.push_back({e.id, "", true, false});
  CHECK(store.mark_detected(marks) == std::vector<bool>(5, true));
  for (const auto& e : undetected) {
    const auto& original = docs[static_cast<std::size_t>(std::stoll(e.id))];
    CHECK(e.event_time_ms == original.event_time_ms);
  }
  const auto after = store.undetected_executions(kNow - 40 * kDay, kNow, 5, std::nullopt);
  for (const auto& e : after)
    CHECK(std::none_of(undetected.begin(), undetected.end(), [&](const auto& u) { return u.id == e.id; }));

  // A replaced document leaves every question; its newer version answers.
  ResultDocument changed = docs[1234];
  changed.hostname = Keywords("HOST-REPLACED");
  CHECK(store.append(std::span(&changed, 1)).replaced == 1);
  ResultFilter f;
  f.requires_event_time = false;
  f.test_data_only = false;
  f.keywords.push_back({{KeywordField::Hostname}, {"HOST-REPLACED"}});
  CHECK(store.tally(f, ScoringMode::AllStages).documents.units == 1);
  CHECK(store.size() == docs.size() + 1);
}
