#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

#include "achilles/domain/result_document.hpp"

namespace achilles {

struct DemoOptions {
  std::size_t executions = 10000;  // documents emitted, exactly
  std::uint64_t seed = 1;
  int days = 30;                   // event times spread over [now - days, now)
  std::int64_t now_ms = 0;
};

// Realistic result documents for demos, benchmarks and tests: standalone tests,
// cyber-hygiene bundles (one document per control), multi-stage bundles with
// skipped stages, every exit code of analytics-spec §1.7 plus unmapped ones,
// Defender-detected flags, several organisations, 25 hosts, MITRE techniques
// with sub-techniques. The same options always give the same documents.
void generate_demo_results(const DemoOptions& options,
                           const std::function<void(const ResultDocument&)>& emit);

}  // namespace achilles
