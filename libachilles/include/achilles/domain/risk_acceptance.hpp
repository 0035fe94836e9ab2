#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace achilles {

enum class RiskScope { Host, Global };

// A decision to accept the risk of a test (or one control of a bundle,
// or a test on one host): its executions leave the defense-score family
// while it is active (risk-acceptance.md, analytics-spec §2.7).
struct RiskAcceptance {
  std::string acceptance_id;
  std::optional<std::string> org_id;  // absent: applies to every organisation
  std::string test_name;
  std::optional<std::string> control_id;
  std::optional<std::string> hostname;  // host scope only
  std::optional<RiskScope> scope;       // absent on legacy records
  std::string justification;
  std::string accepted_by;
  std::string accepted_by_name;
  std::int64_t accepted_at_ms = 0;
  bool active = true;
  std::optional<std::int64_t> revoked_at_ms;
  std::optional<std::string> revoked_by;
  std::optional<std::string> revoked_by_name;
  std::optional<std::string> revocation_reason;

  // Legacy records without a scope: host when a hostname is present.
  RiskScope effective_scope() const { return scope.value_or(hostname ? RiskScope::Host : RiskScope::Global); }
  bool operator==(const RiskAcceptance&) const = default;
};

}  // namespace achilles
