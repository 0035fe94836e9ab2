#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "achilles/query/filter_params.hpp"

namespace achilles {

// The category of cyber-hygiene (configuration) controls.
inline constexpr std::string_view kCyberHygieneCategory = "cyber-hygiene";
// A bundle stage the orchestrator chose not to run exits 0 (analytics-spec §1.4).
inline constexpr std::int64_t kSkippedStageCode = 0;

// What one document counts as (analytics-spec §2.8). In any-stage mode a
// bundle control that is not a cyber-hygiene control counts toward its
// bundle run, one unit per (bundle_id, hostname), protected when any of its
// stages is; every other document, and every document in all-stages mode,
// is one execution. "Cyber-hygiene bundles never collapse."
enum class ScoringUnit { Execution, BundleRun };
constexpr ScoringUnit scoring_unit(ScoringMode mode, bool is_bundle_control, bool is_cyber_hygiene) {
  return mode == ScoringMode::AnyStage && is_bundle_control && !is_cyber_hygiene ? ScoringUnit::BundleRun
                                                                                 : ScoringUnit::Execution;
}

// The attack-simulation rule of the plain trend's excludeCyberHygiene
// (§2.8): cyber-hygiene controls and skipped bundle stages are not attack
// simulations.
constexpr bool is_attack_simulation(bool is_cyber_hygiene, bool is_bundle_control, std::optional<std::int64_t> code) {
  return !is_cyber_hygiene && !(is_bundle_control && code == kSkippedStageCode);
}

}  // namespace achilles
