#pragma once
#include <optional>
#include <string_view>

#include "achilles/auth/principal.hpp"

namespace achilles {

// Turns a bearer credential into a principal; nullopt when it proves nothing
// (unknown, expired, malformed). Adapters: local admin token, Clerk, API keys.
class IdentityVerifier {
public:
  virtual ~IdentityVerifier() = default;
  virtual std::optional<Principal> verify(std::string_view bearer_token) const = 0;

  // What can be said without waiting on the network. The server's I/O
  // threads ask this before they read a body; a verifier that would have to
  // fetch a key first (Clerk's JWKS) answers Undecided, the body is read, and
  // a worker asks verify().
  enum class Verdict { Proven, Refused, Undecided };
  virtual Verdict verify_without_waiting(std::string_view bearer_token) const {
    return verify(bearer_token) ? Verdict::Proven : Verdict::Refused;
  }
};

}  // namespace achilles
