#pragma once
#include <map>
#include <string>

#include "achilles/ports/identity_verifier.hpp"

namespace achilles::testing {

// IdentityVerifier fake: a fixed table of bearer tokens → principals, who
// stand for dashboard users: their credential is a Clerk session unless said.
class StaticTokenTable final : public IdentityVerifier {
public:
  void add(std::string token, Principal principal) {
    if (principal.credential == Credential::Other) principal.credential = Credential::ClerkSession;
    table_.emplace(std::move(token), std::move(principal));
  }
  std::optional<Principal> verify(std::string_view token) const override {
    auto it = table_.find(std::string(token));
    if (it == table_.end()) return std::nullopt;
    return it->second;
  }

private:
  std::map<std::string, Principal> table_;
};

}  // namespace achilles::testing
