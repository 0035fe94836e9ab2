#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace achilles {

// One test execution (or one bundle control/stage) as stored in the results
// index: the Elasticsearch `_source` layout of analytics-spec §1.3, flattened.
// Presence matters for a few fields (the test-data filter asks whether
// test_uuid/test_name exist; a missing event.ERROR is "inconclusive"), so
// those are optional; other keywords treat "missing" and "" alike.
struct ResultDocument {
  std::string id;

  std::optional<std::int64_t> event_time_ms;  // routing.event_time
  std::string org_id;                          // routing.oid
  std::string hostname;                        // routing.hostname
  std::optional<std::int64_t> error_code;      // event.ERROR

  std::optional<std::string> test_uuid;
  std::optional<std::string> test_name;
  bool is_protected = false;
  std::string error_name;
  std::string category;
  std::string subcategory;
  std::string severity;
  std::vector<std::string> techniques;
  std::vector<std::string> tactics;
  std::string target;
  std::string complexity;
  std::string threat_actor;
  std::vector<std::string> tags;
  std::optional<double> score;
  std::string bundle_id;
  std::string bundle_name;
  std::string control_id;
  std::string control_validator;
  bool is_bundle_control = false;
  bool defender_detected = false;
  bool defender_stage_detected = false;
  std::string tenant_label;

  bool is_test_data() const { return test_uuid.has_value() && test_name.has_value(); }
  bool operator==(const ResultDocument&) const = default;
};

}  // namespace achilles
