// Identity organisations mapped to the organisations results carry.
#include <catch2/catch.hpp>

#include "achilles/auth/organisation_mapping.hpp"
#include "fakes/static_token_table.hpp"

using namespace achilles;
using namespace achilles::testing;

TEST_CASE("a mapped identity organisation names its results' organisation, others stay", "[identity][org]") {
  StaticTokenTable tokens;
  tokens.add("mapped", Principal::with_role("u1", Role::Analyst, "org_2pQ8a1"));
  tokens.add("unmapped", Principal::with_role("u2", Role::Analyst, "org_other"));
  tokens.add("orgless", Principal::with_role("u3", Role::Admin));
  OrganisationMappedIdentity identity(tokens, OrganisationMapping(std::map<std::string, std::string>{{"org_2pQ8a1", "09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31"}}));
  CHECK(identity.verify("mapped")->org_id == "09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31");
  CHECK(identity.verify("unmapped")->org_id == "org_other");
  CHECK(identity.verify("orgless")->org_id.empty());
  CHECK_FALSE(identity.verify("nobody"));
  CHECK(identity.verify_without_waiting("mapped") == IdentityVerifier::Verdict::Proven);
}
