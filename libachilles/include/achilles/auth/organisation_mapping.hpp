#pragma once
#include <map>
#include <string>

#include "achilles/ports/identity_verifier.hpp"

namespace achilles {

// How an identity's organisation (a Clerk organisation id such as
// "org_2pQ8a1") names the organisation of results (`routing.oid`). Ids not
// in the mapping stay as they are, so a deployment whose identities and
// results share ids needs none (docs/security.md, "Organisations").
class OrganisationMapping {
public:
  OrganisationMapping() = default;
  explicit OrganisationMapping(std::map<std::string, std::string> to_results) : to_results_(std::move(to_results)) {}
  std::string results_org(const std::string& identity_org) const {
    auto it = to_results_.find(identity_org);
    return it == to_results_.end() ? identity_org : it->second;
  }
  bool empty() const { return to_results_.empty(); }

private:
  std::map<std::string, std::string> to_results_;
};

// Every principal the inner verifier proves, its organisation mapped.
class OrganisationMappedIdentity final : public IdentityVerifier {
public:
  OrganisationMappedIdentity(const IdentityVerifier& inner, OrganisationMapping mapping)
      : inner_(inner), mapping_(std::move(mapping)) {}
  std::optional<Principal> verify(std::string_view bearer_token) const override {
    auto principal = inner_.verify(bearer_token);
    if (principal && !principal->org_id.empty()) principal->org_id = mapping_.results_org(principal->org_id);
    return principal;
  }
  Verdict verify_without_waiting(std::string_view bearer_token) const override {
    return inner_.verify_without_waiting(bearer_token);
  }

private:
  const IdentityVerifier& inner_;
  OrganisationMapping mapping_;
};

}  // namespace achilles
