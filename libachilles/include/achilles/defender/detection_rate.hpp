#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "achilles/defender/alert_query.hpp"

namespace achilles {

// When the executions of each technique ran (one entry per execution and
// technique it carries), with the host of each when asked for.
struct TechniqueExecutions {
  std::string technique;
  std::vector<std::int64_t> times_ms;
  std::vector<std::uint32_t> host_ids;  // into ExecutionTimeline::hosts, one per time (when asked for)
};
// When each technique was tested, and on which hosts: what the detection rate correlates alerts
// with.
struct ExecutionTimeline {
  std::vector<TechniqueExecutions> techniques;
  std::vector<std::string> hosts;
};

// One technique's executions and how many of them an alert correlated with.
struct TechniqueDetection {
  std::string technique;
  std::int64_t test_executions = 0;
  std::int64_t correlated_executions = 0;
  bool detected = false;
  bool operator==(const TechniqueDetection&) const = default;
};
// Did Defender see the simulated attacks: the share of executions an alert correlated with, overall
// and per technique.
struct DetectionRate {
  double detection_rate = 0;  // percent, one decimal
  std::int64_t total_executions = 0;
  std::int64_t correlated_executions = 0;
  std::int64_t tested_techniques = 0;
  std::int64_t detected_techniques = 0;
  std::vector<TechniqueDetection> by_technique;  // detected first, then by executions, then by technique
};

// D8, the definition the API documents, on real times: an execution of
// technique T is correlated when an alert carrying T — or T's parent, for a
// sub-technique; never the other way — was created within ±window of it; with
// `match_host`, also seen on the execution's host (an evidence host starting
// with it, case-insensitive). Sorted per technique and binary-searched:
// O((E + A) log A), never E × A.
DetectionRate detection_rate(const ExecutionTimeline& executions, const std::vector<AlertSighting>& alerts,
                             std::int64_t window_ms, bool match_host);

// "T1574.002" → "T1574"; "" when it is not a sub-technique.
std::string parent_technique(const std::string& technique);

// Rounds a percentage to one decimal as JavaScript's Math.round(x * 10) / 10
// would after the original's `ratio * 1000`.
double one_decimal_percent(std::int64_t part, std::int64_t whole);

}  // namespace achilles
