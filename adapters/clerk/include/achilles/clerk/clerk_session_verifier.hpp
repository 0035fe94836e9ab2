#pragma once
#include <optional>
#include <string>
#include <vector>

#include "achilles/clerk/clerk_keys.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"

namespace achilles::clerk {

struct ClerkSessionOptions {
  // When set (from CLERK_PUBLISHABLE_KEY), `iss` must equal it: a fix; the
  // original checks no issuer.
  std::optional<std::string> issuer;
  // CLERK_AUTHORIZED_PARTIES: when not empty, `azp` must be one of them.
  std::vector<std::string> authorized_parties;
  std::int64_t skew_ms = 5000;
  // ACHILLES_ORG_CLAIM: a dotted claim path (e.g. "metadata.results_org")
  // that names the organisation instead of §1.6's `o.id` / `org_id` /
  // `metadata.org_id`; a token without it is bound to no organisation only
  // if the claim is absent, never to another one.
  std::optional<std::string> org_claim;
};

// "https://" + the frontend API host a publishable key names:
// pk_test_/pk_live_ + base64("host$"). nullopt when it is not one.
std::optional<std::string> issuer_of_publishable_key(std::string_view publishable_key);

// Clerk session JWTs (platform-spec §1.3): RS256/384/512 only, `typ` JWT
// when present, `sub` required, `exp`/`nbf`/`iat` with 5 s of skew, a
// pending session (`sts: pending`) refused, the issuer and authorised party
// checked when configured; the principal by the rules of §1.6. A token that
// is plainly not a Clerk session token (not a JWT, not RS*) is refused
// before any key is looked up, so it never causes a call to Clerk.
class ClerkSessionVerifier final : public IdentityVerifier {
public:
  ClerkSessionVerifier(const ClerkKeys& keys, ClerkSessionOptions options, const Clock& clock)
      : keys_(keys), options_(std::move(options)), clock_(clock) {}
  std::optional<Principal> verify(std::string_view bearer_token) const override;
  Verdict verify_without_waiting(std::string_view bearer_token) const override;

private:
  std::optional<Principal> check(std::string_view bearer_token, bool may_wait, bool& undecided) const;
  const ClerkKeys& keys_;
  ClerkSessionOptions options_;
  const Clock& clock_;
};

}  // namespace achilles::clerk
