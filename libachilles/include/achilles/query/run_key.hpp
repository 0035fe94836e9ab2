#pragma once
#include <string>
#include <variant>

#include "achilles/query/result_filter.hpp"

namespace achilles {

// The key of a run, the grouped executions table's group key and what
// archiving runs names (analytics-spec §3.4.3):
//   bundle::<bundle_id>::<hostname>::<event_time_ms>      for bundle controls,
//   standalone::<test_uuid>::<hostname>::<event_time_ms>  otherwise.
// The Elasticsearch adapter's Painless script (painless_scripts.hpp) builds
// the same text on the cluster; the equivalence tests compare both.
std::string run_key(const RunSelector& run);

// The run a key names, or why it names none (the original's messages).
std::variant<RunSelector, std::string> parse_run_key(const std::string& key);

}  // namespace achilles
