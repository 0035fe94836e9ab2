#pragma once
#include <string>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"

namespace achilles::jwt {

struct CliTokenOptions {
  std::string secret;    // CLI_AUTH_SECRET; empty: no CLI token is ever accepted
  std::string audience;  // AGENT_SERVER_URL, as the original mints it (default http://localhost:3000)
  std::int64_t leeway_ms = 5000;
};

// The CLI's access tokens (platform-spec §1.4): HS256 with CLI_AUTH_SECRET,
// `iss` projectachilles, `type` cli, and, fixing the original, `aud` checked
// and 5 s of leeway on `exp`/`nbf`/`iat`. The user is `sub`; the
// organisation `org_id`, where the original's "default" (a user without an
// organisation) means none; the role the top-level `role` claim.
class CliTokenVerifier final : public IdentityVerifier {
public:
  CliTokenVerifier(CliTokenOptions options, const Clock& clock) : options_(std::move(options)), clock_(clock) {}
  std::optional<Principal> verify(std::string_view bearer_token) const override;

private:
  CliTokenOptions options_;
  const Clock& clock_;
};

}  // namespace achilles::jwt
