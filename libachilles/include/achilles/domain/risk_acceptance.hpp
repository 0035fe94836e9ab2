#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace achilles {

enum class RiskScope { Host, Global };
enum class RiskStatus { Active, Revoked };

// The words the original stores and sends; also the SQLite column values.
constexpr std::string_view risk_scope_name(RiskScope s) { return s == RiskScope::Host ? "host" : "global"; }
constexpr std::string_view risk_status_name(RiskStatus s) { return s == RiskStatus::Active ? "active" : "revoked"; }
std::optional<RiskScope> parse_risk_scope(std::string_view text);
// A scope as a stored record holds it: "host", or anything else, which the
// original's exclusion treats as global (only "host" with a hostname is
// host-scoped there).
RiskScope stored_risk_scope(std::string_view text);
std::optional<RiskStatus> parse_risk_status(std::string_view text);

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
  RiskStatus status = RiskStatus::Active;
  std::optional<std::int64_t> revoked_at_ms;
  std::optional<std::string> revoked_by;
  std::optional<std::string> revoked_by_name;
  std::optional<std::string> revocation_reason;

  bool is_active() const { return status == RiskStatus::Active; }
  // An explicit scope wins; legacy records without one are host-scoped when
  // they name a host, global otherwise (§2.7).
  RiskScope effective_scope() const { return scope.value_or(hostname ? RiskScope::Host : RiskScope::Global); }
  bool operator==(const RiskAcceptance&) const = default;
};

}  // namespace achilles
