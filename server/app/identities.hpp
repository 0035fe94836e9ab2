#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"
#include "achilles/security/outbound_url.hpp"

namespace achilles::server {

// Who may call, as configured by the environment (docs/security.md,
// "Identities"): the local admin token always; Clerk session tokens with
// CLERK_JWT_KEY (no network) or CLERK_SECRET_KEY (Clerk's JWKS); CLI tokens
// with CLI_AUTH_SECRET. Tried in the original's order (Clerk, then CLI), the
// admin token first; the application tries API keys after these.
class Identities {
public:
  using Environment = std::function<const char*(const char*)>;
  // Throws std::invalid_argument on a configuration that cannot work (a
  // CLERK_JWT_KEY that is not an RSA public key of 2048 bits or more, a
  // CLERK_API_URL the outbound policy refuses), naming the variable.
  Identities(std::string admin_token, const Clock& clock, std::vector<IpNetwork> allowed_networks,
             const Environment& environment);
  ~Identities();
  Identities(const Identities&) = delete;
  Identities& operator=(const Identities&) = delete;

  const IdentityVerifier& verifier() const;
  // What is accepted, for the start-up line: "admin token, Clerk (JWKS), CLI tokens".
  std::string summary() const;

private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace achilles::server
