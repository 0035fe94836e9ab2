#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_store.hpp"
#include "achilles/ports/detection_marks.hpp"

namespace achilles {

// How far back and how much one enrichment pass marks executions Defender saw.
struct EnrichmentOptions {
  std::int64_t lookback_days = 90;
  std::size_t batch_size = 200;
  std::int64_t max_duration_ms = 60'000;
  // A detected execution is asked again for its stage evidence this long
  // after it ran: the stage alert may come a sync later than the bundle's.
  std::int64_t stage_recheck_ms = 2 * 3'600'000;
};

// The original's enrichment counters (defender-spec §7.2).
struct EnrichmentResult {
  std::int64_t scanned = 0;
  std::int64_t detected = 0;
  std::int64_t stage_detected = 0;
  std::int64_t skipped = 0;
  std::int64_t batches = 0;
  std::int64_t alerts_marked_correlated = 0;
  std::vector<std::string> errors;
  std::int64_t duration_ms = 0;
};

// Marks executions Defender saw (defender-spec §7): per batch of conclusive,
// not yet detected executions, newest first, the bundle and stage evidence
// questions are asked together; a match sets defender_detected /
// defender_stage_detected (never cleared) and marks the matching alerts as
// correlated with the test. Bounded per pass by `max_duration_ms`. Failures
// are reported in `errors`, never thrown.
class DefenderEnrichmentService {
public:
  using Elapsed = std::function<std::int64_t()>;  // monotonic milliseconds
  DefenderEnrichmentService(DetectionMarks& results, DefenderStore& alerts, const Clock& clock, Elapsed elapsed_ms);

  EnrichmentResult run(const EnrichmentOptions& options = {});

private:
  DetectionMarks& results_;
  DefenderStore& alerts_;
  const Clock& clock_;
  Elapsed elapsed_ms_;
};

}  // namespace achilles
