#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "achilles/defender/alert_query.hpp"

namespace achilles {

// Which stage of a bundle an alert points at (defender-spec §11 step 5): the
// first evidence file named <bundle uuid>-<control>.exe gives the control;
// otherwise the alert is about the bundle as a whole.
struct StageAttribution {
  bool stage = false;
  std::string control_id;  // lowercased, when `stage`
  bool operator==(const StageAttribution&) const = default;
};
StageAttribution stage_attribution(const AlertDocument& alert, std::string_view bundle_uuid);

// "Which alerts did this execution cause?" for the executions drawer (§11).
struct TestAlertsRequest {
  std::vector<std::string> techniques;
  std::int64_t time_ms = 0;
  std::string timestamp;  // as sent, for the evidence question
  std::int64_t window_minutes = 30;
  std::string hostname;
  std::string binary_name;  // <bundle uuid>.exe
  std::string bundle_name;
};

// The three questions, most precise first; the first that finds alerts answers.
enum class TestAlertTier { Evidence, TechniqueAndHost, TechniqueOnly };
// One tier of the alert search around an execution (exact, then wider), as an AlertQuery.
struct TierQuestion {
  TestAlertTier tier;
  AlertQuery query;
};
std::vector<TierQuestion> test_alert_tiers(const TestAlertsRequest& request);
inline constexpr std::size_t kTestAlertsLimit = 50;

// An alert found for an execution, with the stage of the test it is attributed to.
struct AttributedAlert {
  AlertDocument alert;
  StageAttribution attribution;
};
// The alerts evidence of one execution: nearest first, and which asked-for techniques they matched.
struct TestAlerts {
  std::vector<AttributedAlert> alerts;       // nearest to the execution first
  std::vector<std::string> matched_techniques;  // asked-for techniques the alerts carry, first seen first
  std::int64_t total = 0;                     // matches of the tier that answered (may exceed the list)
};
// Orders and annotates one tier's answer (`alerts` by creation time, oldest first).
TestAlerts test_alerts_of(const TestAlertsRequest& request, std::vector<AlertDocument> alerts, std::int64_t total);

}  // namespace achilles
