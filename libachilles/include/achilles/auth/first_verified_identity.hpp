#pragma once
#include <vector>

#include "achilles/ports/identity_verifier.hpp"

namespace achilles {

// The credential kinds tried in order, the first that proves an identity
// winning (platform-spec §1.1: Clerk session, then CLI token, then API key;
// the local admin token beside them). A credential none of them accepts
// proves nothing: the caller is anonymous and the route answers 401.
class FirstVerifiedIdentity final : public IdentityVerifier {
public:
  explicit FirstVerifiedIdentity(std::vector<const IdentityVerifier*> verifiers) : verifiers_(std::move(verifiers)) {}
  std::optional<Principal> verify(std::string_view bearer_token) const override {
    for (const auto* v : verifiers_)
      if (auto principal = v->verify(bearer_token)) return principal;
    return std::nullopt;
  }
  Verdict verify_without_waiting(std::string_view bearer_token) const override {
    Verdict verdict = Verdict::Refused;
    for (const auto* v : verifiers_) {
      const Verdict one = v->verify_without_waiting(bearer_token);
      if (one == Verdict::Proven) return one;
      if (one == Verdict::Undecided) verdict = one;
    }
    return verdict;
  }

private:
  std::vector<const IdentityVerifier*> verifiers_;
};

}  // namespace achilles
