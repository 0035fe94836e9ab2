#include "achilles/clerk/clerk_session_verifier.hpp"

#include <algorithm>

#include "achilles/jwt/jwt.hpp"
#include "achilles/text/base64.hpp"

namespace achilles::clerk {

std::optional<std::string> issuer_of_publishable_key(std::string_view key) {
  for (std::string_view prefix : {"pk_test_", "pk_live_"}) {
    if (!key.starts_with(prefix)) continue;
    auto decoded = base64_decode(key.substr(prefix.size()));
    if (!decoded || !decoded->ends_with('$') || decoded->size() < 2) return std::nullopt;
    decoded->pop_back();
    return "https://" + *decoded;
  }
  return std::nullopt;
}

std::optional<Principal> ClerkSessionVerifier::check(std::string_view bearer_token, bool may_wait,
                                                     bool& undecided) const {
  undecided = false;
  auto token = jwt::decode(bearer_token);
  if (!token) return std::nullopt;
  if (token->alg != jwt::Algorithm::RS256 && token->alg != jwt::Algorithm::RS384 && token->alg != jwt::Algorithm::RS512)
    return std::nullopt;
  if (token->typ && *token->typ != "JWT") return std::nullopt;
  const TokenClaims& claims = token->claims;
  // The claims first: an expired or foreign token costs no key lookup.
  if (!claims.sub || claims.sub->empty() || claims.sts == "pending") return std::nullopt;
  if (!within_lifetime(claims, clock_.now_ms(), options_.skew_ms)) return std::nullopt;
  if (options_.issuer && claims.iss != *options_.issuer) return std::nullopt;
  if (!options_.authorized_parties.empty() &&
      (!claims.azp || std::find(options_.authorized_parties.begin(), options_.authorized_parties.end(), *claims.azp) ==
                          options_.authorized_parties.end()))
    return std::nullopt;
  const auto answer = may_wait ? keys_.key_for(token->kid) : keys_.cached_key_for(token->kid);
  if (answer.lookup == ClerkKeys::Lookup::MustFetch) {
    undecided = true;
    return std::nullopt;
  }
  if (!answer.key || !answer.key->verifies(*token)) return std::nullopt;
  auto principal = principal_of(claims);
  if (!principal) return principal;
  principal->credential = Credential::ClerkSession;
  if (options_.org_claim) principal->org_id = jwt::claim_text(token->payload, *options_.org_claim).value_or("");
  return principal;
}

std::optional<Principal> ClerkSessionVerifier::verify(std::string_view bearer_token) const {
  bool undecided = false;
  return check(bearer_token, true, undecided);
}

IdentityVerifier::Verdict ClerkSessionVerifier::verify_without_waiting(std::string_view bearer_token) const {
  bool undecided = false;
  if (check(bearer_token, false, undecided)) return Verdict::Proven;
  return undecided ? Verdict::Undecided : Verdict::Refused;
}

}  // namespace achilles::clerk
