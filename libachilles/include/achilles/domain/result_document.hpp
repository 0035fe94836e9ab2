#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/keywords.hpp"

namespace achilles {

// One test execution (or one bundle control/stage) as stored in the results
// index: the Elasticsearch `_source` layout of analytics-spec §1.3, flattened.
// Every keyword field keeps its stored form (absent, null, one value or an
// array; see Keywords), because the executions views hand it back as stored
// and queries treat a multi-valued field as Elasticsearch does.
struct ResultDocument {
  std::string id;

  std::optional<std::int64_t> event_time_ms;  // routing.event_time, read as a date
  std::string event_time_text;                // routing.event_time as stored ("" when not a string)
  Keywords org_id;                             // routing.oid
  Keywords hostname;                           // routing.hostname
  std::optional<std::int64_t> error_code;      // event.ERROR

  Keywords test_uuid;
  Keywords test_name;
  std::optional<bool> is_protected;  // absent: in neither coverage column (§3.5)
  Keywords error_name;
  Keywords category;
  Keywords subcategory;
  Keywords severity;
  Keywords techniques;
  Keywords tactics;
  Keywords target;
  Keywords complexity;
  Keywords threat_actor;
  Keywords tags;
  std::optional<double> score;
  bool score_is_null = false;  // `"score": null`, which the writer stores for a null catalog score
  Keywords bundle_id;
  Keywords bundle_name;
  Keywords control_id;
  Keywords control_validator;
  bool is_bundle_control = false;
  bool defender_detected = false;
  bool defender_stage_detected = false;
  Keywords tenant_label;

  // "Valid test data" (§1.3): both ids exist, i.e. hold at least one value.
  bool protected_result() const { return is_protected.value_or(false); }
  bool is_test_data() const { return !test_uuid.empty() && !test_name.empty(); }
  bool operator==(const ResultDocument&) const = default;
};

}  // namespace achilles
