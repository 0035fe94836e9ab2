#pragma once
#include <vector>

#include "achilles/demo/demo_results.hpp"
#include "achilles/domain/defender_documents.hpp"

namespace achilles {

// Microsoft Defender data to go with the demo executions of the same options,
// so the Defender views work with no Microsoft tenant: built as Graph sends
// it (alerts_v2 with 7-digit fractions and device evidence in mixed case,
// secure scores with an all-tenants comparison, control profiles whose
// titles the control correlation knows) and stored through the sync's own
// transforms. Alerts follow some executions Defender stopped, within minutes
// and naming the test's binary on its host; some follow unprotected
// executions hours later (too late to count); a few are about techniques
// never tested. The same options always give the same data.
struct DemoDefenderData {
  std::vector<SecureScoreDocument> secure_scores;  // one a day over the options' days, newest first
  std::vector<ControlProfileDocument> control_profiles;
  std::vector<AlertDocument> alerts;
};
// `alerts`: when larger than what follows the executions, background alerts
// (techniques the tests also use, at any time of the window, on the fleet's
// hosts, naming no test binary) are added up to that count: the load of a
// busy tenant for benchmarks.
DemoDefenderData generate_demo_defender(const DemoOptions& options, std::size_t alerts = 0);

inline constexpr const char* kDemoTenantId = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";

}  // namespace achilles
