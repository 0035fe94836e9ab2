#include "achilles/jwt/cli_token_verifier.hpp"

#include <algorithm>

#include "achilles/jwt/jwt.hpp"

namespace achilles::jwt {
namespace {
constexpr std::string_view kIssuer = "projectachilles";
constexpr std::string_view kNoOrganisation = "default";
}  // namespace

std::optional<Principal> CliTokenVerifier::verify(std::string_view bearer_token) const {
  if (options_.secret.empty()) return std::nullopt;
  auto token = decode(bearer_token);
  if (!token || token->alg != Algorithm::HS256 || !hs256_verifies(options_.secret, *token)) return std::nullopt;
  TokenClaims claims = token->claims;
  if (claims.iss != kIssuer || claims.type != "cli") return std::nullopt;
  if (std::find(claims.aud.begin(), claims.aud.end(), options_.audience) == claims.aud.end()) return std::nullopt;
  if (!within_lifetime(claims, clock_.now_ms(), options_.leeway_ms)) return std::nullopt;
  // The CLI token's own shape: org_id at the top (or "default"), role at the top.
  claims.v2_org_id.reset();
  claims.metadata_org_id.reset();
  if (claims.org_id == kNoOrganisation) claims.org_id.reset();
  claims.metadata_role.reset();
  if (auto it = token->payload.find("role"); it != token->payload.end() && it->value().is_string())
    claims.metadata_role = std::string(it->value().get_string());
  auto principal = principal_of(claims);
  if (principal) principal->credential = Credential::CliToken;
  return principal;
}

}  // namespace achilles::jwt
