#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

#include "achilles/domain/result_document.hpp"

namespace achilles {

// What demo data to generate: how many executions, from which seed, over how many days.
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
// with sub-techniques. Documents have the original writer's shapes
// (platform-spec §4.3-§4.4): `target` an array (some empty), `null` where the
// task metadata holds null, agent times in whole seconds, micro- or
// nanoseconds and with offsets, bundle ids `<task_id>::<control_id>`,
// `tenant_label` on identity-tenant controls. The same options always give
// the same documents.
void generate_demo_results(const DemoOptions& options,
                           const std::function<void(const ResultDocument&)>& emit);

}  // namespace achilles
