#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"

namespace achilles {

// The claims of a bearer JWT (a Clerk session token or a CLI token) that
// decide whether it is valid now and who it proves (platform-spec §1.3,
// §1.4, §1.6). Adapters read them from the verified payload; a claim of the
// wrong JSON type reads as absent.
struct TokenClaims {
  std::optional<std::string> sub;
  std::optional<double> exp;  // NumericDate: seconds, possibly fractional
  std::optional<double> nbf;
  std::optional<double> iat;
  std::optional<std::string> iss;
  std::vector<std::string> aud;  // a string or an array of strings
  std::optional<std::string> azp;
  std::optional<std::string> sts;   // Clerk session status
  std::optional<std::string> type;  // "cli" on CLI tokens
  std::optional<std::string> v2_org_id;        // `o.id` of a v2 session token
  std::optional<std::string> org_id;           // top-level `org_id`
  std::optional<std::string> metadata_org_id;  // `metadata.org_id`
  std::optional<std::string> metadata_role;    // `metadata.role`
};

// The time rules with `skew_ms` of leeway: `exp` required, and past when
// exp·1000 ≤ now − skew; `nbf` and `iat`, when present, not after now + skew.
bool within_lifetime(const TokenClaims& claims, std::int64_t now_ms, std::int64_t skew_ms);

// §1.6: the user is `sub` (required, non-empty); the organisation the first
// non-empty of `o.id`, `org_id`, `metadata.org_id`; the role `metadata.role`
// when it is exactly admin, operator, analyst or explorer, and without one
// the caller has an explorer's permissions (the original's PA-001 fix).
std::optional<Principal> principal_of(const TokenClaims& claims);

}  // namespace achilles
