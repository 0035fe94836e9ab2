// The CLI's access tokens as the original's device flow mints them
// (platform-spec §1.4), with the fixes: `aud` checked, 5 s of leeway.
#include <catch2/catch.hpp>

#include "achilles/auth/first_verified_identity.hpp"
#include "achilles/jwt/cli_token_verifier.hpp"
#include "achilles/local_token/local_admin_token.hpp"
#include "mocks/manual_clock.hpp"
#include "support/token_minter.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'764'489'600'000;
constexpr std::int64_t kNowS = kNow / 1000;
const std::string kSecret = "cli-auth-secret-3c1f0e9b7a5d4c2b1a0f";

// What jsonwebtoken.sign({sub, org_id, role, type}, secret, {expiresIn: '1h',
// issuer, audience}) produces.
json::object cli_payload() {
  return {{"sub", "user_2pQ7abc"}, {"org_id", "org_2pQ8a1"}, {"role", "operator"}, {"type", "cli"},
          {"iat", kNowS - 60},     {"exp", kNowS + 3540},     {"aud", "http://localhost:3000"},
          {"iss", "projectachilles"}};
}
const json::object kHeader{{"alg", "HS256"}, {"typ", "JWT"}};

struct World {
  ManualClock clock{kNow};
  jwt::CliTokenVerifier verifier{{kSecret, "http://localhost:3000", 5000}, clock};
  std::optional<Principal> verify(const json::object& payload, const std::string& secret = kSecret) const {
    return verifier.verify(hs256_token(kHeader, payload, secret));
  }
};

}  // namespace

TEST_CASE("a CLI token proves its user, organisation and role", "[identity][cli]") {
  World w;
  const auto p = w.verify(cli_payload());
  REQUIRE(p);
  CHECK(p->user_id == "user_2pQ7abc");
  CHECK(p->org_id == "org_2pQ8a1");
  CHECK(p->role == Role::Operator);
  CHECK(p->may(Permission::AnalyticsRiskWrite));
  CHECK_FALSE(p->may(Permission::AnalyticsExecutionsArchive));

  auto orgless = cli_payload();
  orgless["org_id"] = "default";  // what the original mints for a user without an organisation
  orgless["role"] = nullptr;
  const auto q = w.verify(orgless);
  REQUIRE(q);
  CHECK(q->org_id.empty());
  CHECK_FALSE(q->role);
  CHECK_FALSE(q->may(Permission::AnalyticsRiskRead));  // explorer
}

TEST_CASE("a CLI token is refused with the wrong secret, issuer, type or audience", "[identity][cli][security]") {
  World w;
  CHECK_FALSE(w.verify(cli_payload(), "another-secret"));
  for (const auto& [claim, value] : std::vector<std::pair<const char*, json::value>>{
           {"iss", "someone-else"}, {"type", "session"}, {"aud", "https://attacker.example"}, {"sub", ""}}) {
    auto payload = cli_payload();
    payload[claim] = value;
    CHECK_FALSE(w.verify(payload));
  }
  auto no_aud = cli_payload();
  no_aud.erase("aud");
  CHECK_FALSE(w.verify(no_aud));
  auto listed = cli_payload();
  listed["aud"] = json::array{"https://other.example", "http://localhost:3000"};
  CHECK(w.verify(listed));
  // RS256-looking or unsigned tokens never pass as CLI tokens.
  const RsaSigner rsa;
  CHECK_FALSE(w.verifier.verify(rsa.sign({{"alg", "RS256"}, {"typ", "JWT"}}, cli_payload())));
  CHECK_FALSE(w.verifier.verify(base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(json::serialize(cli_payload())) + "."));
}

TEST_CASE("CLI token times have 5 s of leeway", "[identity][cli]") {
  World w;
  auto at = [&](const char* claim, std::int64_t seconds) {
    auto payload = cli_payload();
    payload[claim] = kNowS + seconds;
    return w.verify(payload).has_value();
  };
  CHECK(at("exp", -3));
  CHECK_FALSE(at("exp", -6));
  CHECK_FALSE(at("nbf", 10));
  CHECK_FALSE(at("iat", 10));
}

TEST_CASE("without CLI_AUTH_SECRET no CLI token is accepted", "[identity][cli][security]") {
  ManualClock clock{kNow};
  jwt::CliTokenVerifier off({"", "http://localhost:3000", 5000}, clock);
  CHECK_FALSE(off.verify(hs256_token(kHeader, cli_payload(), "")));
}

TEST_CASE("credentials are tried in order, the first that proves an identity winning", "[identity]") {
  ManualClock clock{kNow};
  local_token::LocalAdminToken admin("local-admin-token-0123456789abcdef");
  jwt::CliTokenVerifier cli({kSecret, "http://localhost:3000", 5000}, clock);
  FirstVerifiedIdentity chain({&admin, &cli});
  CHECK(chain.verify("local-admin-token-0123456789abcdef")->role == Role::Admin);
  CHECK(chain.verify(hs256_token(kHeader, cli_payload(), kSecret))->user_id == "user_2pQ7abc");
  CHECK_FALSE(chain.verify("nothing-anyone-issued"));
  CHECK(chain.verify_without_waiting("nothing-anyone-issued") == IdentityVerifier::Verdict::Refused);
  CHECK(chain.verify_without_waiting(hs256_token(kHeader, cli_payload(), kSecret)) == IdentityVerifier::Verdict::Proven);
}
