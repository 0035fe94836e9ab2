#include "achilles/auth/token_claims.hpp"

#include <cmath>

namespace achilles {

bool within_lifetime(const TokenClaims& c, std::int64_t now_ms, std::int64_t skew_ms) {
  if (!c.exp || !std::isfinite(*c.exp)) return false;
  const double now = static_cast<double>(now_ms);
  const double skew = static_cast<double>(skew_ms);
  if (*c.exp * 1000.0 <= now - skew) return false;
  if (c.nbf && !(*c.nbf * 1000.0 <= now + skew)) return false;
  if (c.iat && !(*c.iat * 1000.0 <= now + skew)) return false;
  return true;
}

std::optional<Principal> principal_of(const TokenClaims& c) {
  if (!c.sub || c.sub->empty()) return std::nullopt;
  Principal p;
  p.user_id = *c.sub;
  for (const auto* org : {&c.v2_org_id, &c.org_id, &c.metadata_org_id})
    if (*org && !(*org)->empty()) {
      p.org_id = **org;
      break;
    }
  p.role = c.metadata_role ? role_from_name(*c.metadata_role) : std::nullopt;
  p.permissions = permissions_of(p.role.value_or(Role::Explorer));
  return p;
}

}  // namespace achilles
