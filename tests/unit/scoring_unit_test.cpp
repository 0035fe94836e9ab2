#include <catch2/catch.hpp>

#include "achilles/scoring/scoring_unit.hpp"

using namespace achilles;

TEST_CASE("any-stage collapses bundle controls into runs, never cyber-hygiene controls", "[scoring]") {
  CHECK(scoring_unit(ScoringMode::AnyStage, true, false) == ScoringUnit::BundleRun);
  CHECK(scoring_unit(ScoringMode::AnyStage, true, true) == ScoringUnit::Execution);   // CH bundles never collapse
  CHECK(scoring_unit(ScoringMode::AnyStage, false, false) == ScoringUnit::Execution);  // a standalone test
  CHECK(scoring_unit(ScoringMode::AllStages, true, false) == ScoringUnit::Execution);  // every stage counts
}

TEST_CASE("cyber-hygiene controls and skipped stages are not attack simulations", "[scoring]") {
  CHECK(is_attack_simulation(false, false, 126));
  CHECK(is_attack_simulation(false, false, 0));      // a standalone test exiting 0 is still one
  CHECK(is_attack_simulation(false, true, 101));
  CHECK_FALSE(is_attack_simulation(false, true, 0));  // a skipped stage
  CHECK_FALSE(is_attack_simulation(true, false, 126));
  CHECK(is_attack_simulation(false, true, std::nullopt));
}
