#pragma once
#include <boost/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "achilles/ports/detection_marks.hpp"

namespace achilles::elasticsearch {

// The enrichment scan of defender-spec §7.2 step 1 with REC-11: conclusive
// exit codes, no cyber-hygiene, a test uuid and a host, and not yet detected
// (or detected without its stage, holding a control id, and recent). Sorted
// by routing.event_time descending, continued with search_after on the time
// (as the original: documents tied at a batch boundary wait for the next pass).
boost::json::object undetected_request(std::int64_t from_ms, std::int64_t stage_recheck_from_ms, std::size_t limit,
                                       const std::optional<ExecutionCursor>& after);
std::vector<UndetectedExecution> undetected_response(const boost::json::object& response);

// The _bulk body of partial updates setting only the flags that are true.
std::string detection_marks_bulk(std::span<const DetectionMark> marks);

}  // namespace achilles::elasticsearch
