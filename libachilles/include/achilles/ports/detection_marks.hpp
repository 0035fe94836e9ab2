#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "achilles/defender/alert_evidence.hpp"

namespace achilles {

// A result document enrichment may still mark as seen by Defender
// (defender-spec §7), with what its evidence questions need.
struct UndetectedExecution {
  std::string id;
  std::string index;  // where it is stored, for adapters that span several indices ("" elsewhere)
  std::int64_t event_time_ms = 0;
  ExecutionEvidenceFields fields;
  bool detected = false;        // f0rtika.defender_detected already true
  bool stage_detected = false;  // f0rtika.defender_stage_detected already true
};

// Where a scan of candidates continues: newest first, then by id.
struct ExecutionCursor {
  std::int64_t event_time_ms = 0;
  std::string id;
};

// Flags to set on a result document; never cleared.
struct DetectionMark {
  std::string id;
  std::string index;
  bool detected = false;
  bool stage_detected = false;
};

// Which stored executions enrichment looks at, and how it marks them.
// Adapters: the embedded store, the cluster's results indices.
class DetectionMarks {
public:
  virtual ~DetectionMarks() = default;

  // Conclusive executions (exit codes 101, 105, 126, 127), not cyber-hygiene,
  // with a test uuid and a host, timed at or after `from_ms`, that are not
  // yet marked detected — or are, but not stage-detected, hold a control id
  // and ran at or after `stage_recheck_from_ms` (REC-11: detected documents
  // are not scanned again, except for a stage alert that may still arrive).
  // Newest first, then by id; at most `limit`, after `after`.
  virtual std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                                  std::size_t limit,
                                                                  const std::optional<ExecutionCursor>& after) const = 0;

  // Sets the flags; returns the marks applied (a document gone meanwhile is not).
  virtual std::vector<bool> mark_detected(std::span<const DetectionMark> marks) = 0;
};

}  // namespace achilles
