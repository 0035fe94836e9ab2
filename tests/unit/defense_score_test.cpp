// analytics-spec §3.1 and the score cases of §5, restated over counts.
#include <catch2/catch.hpp>

#include "achilles/scoring/defense_score.hpp"
#include "achilles/scoring/percent.hpp"

using namespace achilles;

TEST_CASE("round2 and percent behave as the original's Math.round and pct", "[score]") {
  CHECK(rounded_percent(1, 3) == 33.33);
  CHECK(rounded_percent(2, 3) == 66.67);
  CHECK(rounded_percent(7, 9) == 77.78);
  CHECK(rounded_percent(0, 0) == 0);
  CHECK(rounded_percent(5, 0) == 0);
  CHECK(round2(0.125) == 0.13);
  CHECK(round2(88.888888) == 88.89);
}

TEST_CASE("case 1: every protection by the EDR", "[score]") {
  auto s = compute_defense_score({100, 70, 70}, std::nullopt);
  CHECK(s.score == 70);
  CHECK(s.protected_count == 70);
  CHECK(s.detected_count == 0);
  CHECK(s.unprotected_count == 30);
  CHECK(s.total_executions == 100);
  CHECK(s.real_score == 70);
  CHECK(s.raw_score == 70);
  CHECK(s.risk_accepted_count == 0);
  CHECK_FALSE(s.unexcluded.has_value());
}

TEST_CASE("case 2: Defender detections add coverage to score but not realScore", "[score]") {
  auto s = compute_defense_score({100, 70, 80}, std::nullopt);
  CHECK(s.score == 80);
  CHECK(s.protected_count == 70);
  CHECK(s.detected_count == 10);
  CHECK(s.unprotected_count == 20);
  CHECK(s.real_score == 70);
  CHECK(s.protected_count + s.detected_count + s.unprotected_count == s.total_executions);
}

TEST_CASE("case 3: no executions give zeros, not NaN", "[score]") {
  auto s = compute_defense_score({0, 0, 0}, std::nullopt);
  CHECK(s == DefenseScore{});
}

TEST_CASE("case 4: scores round to two decimals", "[score]") {
  CHECK(compute_defense_score({3, 1, 1}, std::nullopt).score == 33.33);
  CHECK(compute_defense_score({50, 25, 25}, std::nullopt).score == 50);
}

TEST_CASE("case 7: a risk exclusion reports adjusted, raw and accepted numbers", "[score]") {
  auto s = compute_defense_score({90, 80, 80}, ScoreCounts{100, 80, 80});
  CHECK(s.score == 88.89);
  CHECK(s.protected_count == 80);
  CHECK(s.total_executions == 90);
  CHECK(s.real_score == 88.89);
  REQUIRE(s.unexcluded.has_value());
  CHECK(s.unexcluded->protected_count == 80);
  CHECK(s.unexcluded->unprotected_count == 20);
  CHECK(s.unexcluded->total == 100);
  CHECK(s.risk_accepted_count == 10);
  CHECK(s.raw_score == 80);
}

TEST_CASE("case 8: any-stage headline adds one unit per bundle run", "[score]") {
  UnitTally t;
  t.documents = {100, 60, 60};
  t.bundle_runs = {4, 1, 1};
  auto counts = headline_counts(t);
  CHECK(counts == ScoreCounts{104, 61, 61});
  auto s = compute_defense_score(counts, std::nullopt);
  CHECK(s.total_executions == 104);
  CHECK(s.protected_count == 61);
  CHECK(s.score == 58.65);
}

TEST_CASE("case 9: the same stages score differently per mode", "[score]") {
  UnitTally all_stages;
  all_stages.documents = {12, 1, 1};
  CHECK(compute_defense_score(headline_counts(all_stages), std::nullopt).score == 8.33);
  UnitTally any_stage;
  any_stage.bundle_runs = {4, 1, 1};
  CHECK(compute_defense_score(headline_counts(any_stage), std::nullopt).score == 25);
}

TEST_CASE("a bundle run seen only by Defender counts as detected, not protected", "[score]") {
  UnitTally t;
  t.documents = {2, 1, 1};
  t.bundle_runs = {1, 0, 1};
  auto s = compute_defense_score(headline_counts(t), std::nullopt);
  CHECK(s.protected_count == 1);
  CHECK(s.detected_count == 1);
  CHECK(s.unprotected_count == 1);
}
