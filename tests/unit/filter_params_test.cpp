#include <catch2/catch.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/result_filter.hpp"

using namespace achilles;

namespace {
constexpr std::int64_t kNow = 1737376496789;  // 2025-01-20T12:34:56.789Z
FilterParams parse(QueryParams q) { return parse_filter_params(q, kNow); }
std::string error_of(QueryParams q) {
  try {
    parse(std::move(q));
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the list rule splits on commas, trims, and drops empty items", "[filters]") {
  CHECK(split_list("a,b") == std::vector<std::string>{"a", "b"});
  CHECK(split_list(" a , ,b ,") == std::vector<std::string>{"a", "b"});
  CHECK(split_list("").empty());
  CHECK(split_list(" , ").empty());
}

TEST_CASE("repeated query keys read as one comma-joined value (D1)", "[filters]") {
  auto f = parse({{"hostnames", "a"}, {"hostnames", "b,c"}, {"tests", "x"}});
  CHECK(f.hostnames == std::vector<std::string>{"a", "b", "c"});
  CHECK(f.tests == std::vector<std::string>{"x"});
}

TEST_CASE("every list parameter of the vocabulary is read", "[filters]") {
  auto f = parse({{"tests", "t"}, {"techniques", "T1"}, {"hostnames", "h"}, {"categories", "c"},
                  {"severities", "s"}, {"threatActors", "a"}, {"tags", "g"}, {"errorNames", "n"},
                  {"errorCodes", "126"}, {"bundleNames", "b"}, {"org", "o"}});
  CHECK(f.tests.size() == 1);
  CHECK(f.techniques.size() == 1);
  CHECK(f.hostnames.size() == 1);
  CHECK(f.categories.size() == 1);
  CHECK(f.severities.size() == 1);
  CHECK(f.threat_actors.size() == 1);
  CHECK(f.tags.size() == 1);
  CHECK(f.error_names.size() == 1);
  CHECK(f.error_codes == std::vector<std::int64_t>{126});
  CHECK(f.bundle_names.size() == 1);
  CHECK(f.org == "o");
}

TEST_CASE("errorCodes items go through JavaScript parseInt, NaN items drop", "[filters]") {
  CHECK(parse({{"errorCodes", "126, 101,abc,12abc, -1"}}).error_codes == std::vector<std::int64_t>{126, 101, 12, -1});
  CHECK(js_parse_int("  42x") == 42);
  CHECK_FALSE(js_parse_int("x42").has_value());
  CHECK_FALSE(js_parse_int("").has_value());
}

TEST_CASE("result and scoringMode accept their documented values only (D3)", "[filters]") {
  CHECK(parse({}).result == ResultClass::All);
  CHECK(parse({{"result", ""}}).result == ResultClass::All);
  CHECK(parse({{"result", "all"}}).result == ResultClass::All);
  CHECK(parse({{"result", "protected"}}).result == ResultClass::Protected);
  CHECK(parse({{"result", "unprotected"}}).result == ResultClass::Unprotected);
  CHECK(parse({{"result", "inconclusive"}}).result == ResultClass::Inconclusive);
  CHECK(error_of({{"result", "Protected"}}).find("'result'") != std::string::npos);
  CHECK(parse({}).scoring_mode == ScoringMode::AllStages);
  CHECK(parse({{"scoringMode", ""}}).scoring_mode == ScoringMode::AllStages);
  CHECK(parse({{"scoringMode", "all-stages"}}).scoring_mode == ScoringMode::AllStages);
  CHECK(parse({{"scoringMode", "any-stage"}}).scoring_mode == ScoringMode::AnyStage);
  CHECK(error_of({{"scoringMode", "any"}}).find("'scoringMode'") != std::string::npos);
}

TEST_CASE("from and to resolve at request time, unparseable ones name the parameter (D4)", "[filters]") {
  auto f = parse({{"from", "now-30d/d"}, {"to", "2025-01-19"}});
  REQUIRE(f.from);
  REQUIRE(f.to);
  CHECK(f.from->text == "now-30d/d");
  CHECK(format_iso_millis(f.from->epoch_ms) == "2024-12-21T00:00:00.000Z");
  CHECK(format_iso_millis(f.to->epoch_ms) == "2025-01-19T23:59:59.999Z");
  CHECK(error_of({{"from", "last week"}}).find("'from'") != std::string::npos);
  CHECK(error_of({{"to", "now-3q"}}).find("'to'") != std::string::npos);
  CHECK_FALSE(parse({{"from", ""}}).from.has_value());
}

TEST_CASE("the defense-score filter set: default 7-day window, conclusive codes, org", "[filters]") {
  auto f = defense_score_filter(parse({}), kNow);
  CHECK(f.test_data_only);
  CHECK(f.from_ms == kNow - 7 * 86'400'000LL);
  CHECK_FALSE(f.to_ms.has_value());
  REQUIRE(f.exit_codes.size() == 1);
  CHECK(f.exit_codes[0].codes == std::vector<std::int64_t>{101, 105, 126, 127});
  CHECK(f.keywords.empty());

  auto with_org = defense_score_filter(parse({{"org", "org-uuid"}}), kNow);
  REQUIRE(with_org.keywords.size() == 1);
  CHECK(with_org.keywords[0].fields == std::vector<KeywordField>{KeywordField::OrgId});
  CHECK(with_org.keywords[0].values == std::vector<std::string>{"org-uuid"});

  auto only_to = defense_score_filter(parse({{"to", "now"}}), kNow);
  CHECK_FALSE(only_to.from_ms.has_value());  // `to` alone removes the lower bound
  CHECK(only_to.to_ms == kNow);
}

TEST_CASE("tests match the test name or the test UUID (D2)", "[filters]") {
  auto f = defense_score_filter(parse({{"tests", "a,b"}}), kNow);
  REQUIRE(f.keywords.size() == 1);
  CHECK(f.keywords[0].fields == std::vector<KeywordField>{KeywordField::TestName, KeywordField::TestUuid});
  CHECK(f.keywords[0].values == std::vector<std::string>{"a", "b"});
}

TEST_CASE("errorNames resolve to exit codes, unresolved ones fall back to the stored name", "[filters]") {
  auto mixed = defense_score_filter(parse({{"errorNames", "ExecutionPrevented,Foo,Unprotected"}}), kNow);
  REQUIRE(mixed.exit_codes.size() == 2);
  CHECK(mixed.exit_codes[1].codes == std::vector<std::int64_t>{126, 101});
  CHECK(mixed.keywords.empty());

  auto unknown = defense_score_filter(parse({{"errorNames", "Unknown (42),Custom"}}), kNow);
  REQUIRE(unknown.keywords.size() == 1);
  CHECK(unknown.keywords[0].fields == std::vector<KeywordField>{KeywordField::ErrorName});
  CHECK(unknown.keywords[0].values == std::vector<std::string>{"Unknown (42)", "Custom"});
}

TEST_CASE("result classes are exit-code clauses, inconclusive is a negation", "[filters]") {
  auto code_clause = [](const char* result) {
    auto f = defense_score_filter(parse({{"result", result}}), kNow);
    REQUIRE(f.exit_codes.size() == 2);
    return f.exit_codes[1];
  };
  CHECK(code_clause("protected").codes == std::vector<std::int64_t>{105, 126, 127});
  CHECK_FALSE(code_clause("protected").negated);
  CHECK(code_clause("unprotected").codes == std::vector<std::int64_t>{101});
  CHECK(code_clause("inconclusive").negated);
  CHECK(code_clause("inconclusive").codes == std::vector<std::int64_t>{101, 105, 126, 127});
}

TEST_CASE("all filters together yield a clause each", "[filters]") {
  auto f = defense_score_filter(parse({{"tests", "t"}, {"techniques", "T1"}, {"hostnames", "h"},
                                       {"categories", "c"}, {"severities", "s"}, {"threatActors", "a"},
                                       {"tags", "g"}, {"errorNames", "ExecutionPrevented"}, {"errorCodes", "1"},
                                       {"bundleNames", "b"}, {"result", "protected"}, {"org", "o"},
                                       {"from", "now-1d"}}),
                                kNow);
  CHECK(f.keywords.size() + f.exit_codes.size() >= 10);
  CHECK(f.keywords.size() == 9);    // org + 8 lists
  CHECK(f.exit_codes.size() == 4);  // conclusive, errorNames, errorCodes, result
}
