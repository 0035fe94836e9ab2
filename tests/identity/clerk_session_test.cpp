// Clerk session tokens as the original's web dashboard sends them, and every
// way a token must fail: platform-spec §1.3 and the fixes issue 12 takes.
#include <catch2/catch.hpp>

#include "achilles/clerk/clerk_keys.hpp"
#include "achilles/clerk/clerk_session_verifier.hpp"
#include "achilles/http/outbound_client.hpp"
#include "achilles/text/base64.hpp"
#include "fakes/fake_clerk.hpp"
#include "mocks/manual_clock.hpp"
#include "support/loopback_policy.hpp"
#include "support/token_minter.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'764'489'600'000;  // 2025-11-30T08:00:00Z
constexpr std::int64_t kNowS = kNow / 1000;
const std::string kIssuer = "https://happy-otter-12.clerk.accounts.dev";

const RsaSigner& signer() {
  static const RsaSigner s;
  return s;
}

// The header and payload of a real v2 session token (Clerk's session token
// template with {"metadata": "{{user.public_metadata}}"}).
json::object clerk_header(const std::string& kid = "ins_2pQ7TmVbC1Ax3") {
  return {{"alg", "RS256"}, {"cat", "cl_B7d4PD111AAA"}, {"kid", kid}, {"typ", "JWT"}};
}
json::object clerk_payload() {
  return {{"azp", "http://localhost:5173"},
          {"exp", kNowS + 60},
          {"fva", json::array{0, -1}},
          {"iat", kNowS - 1},
          {"iss", kIssuer},
          {"nbf", kNowS - 11},
          {"o", {{"id", "org_2pQ8a1"}, {"rol", "admin"}, {"slg", "acme"}}},
          {"sid", "sess_2pQ7x9"},
          {"sts", "active"},
          {"sub", "user_2pQ7abc"},
          {"v", 2},
          {"metadata", {{"role", "analyst"}}}};
}

struct PemWorld {
  ManualClock clock{kNow};
  clerk::PemClerkKey keys{*jwt::RsaPublicKey::from_pem(signer().public_pem())};
  clerk::ClerkSessionVerifier verifier{keys, {}, clock};
  std::optional<Principal> verify(const json::object& payload, const json::object& header = clerk_header()) const {
    return verifier.verify(signer().sign(header, payload));
  }
};

}  // namespace

TEST_CASE("a dashboard's session token proves its user, organisation and role", "[identity][clerk]") {
  PemWorld w;
  const auto p = w.verify(clerk_payload());
  REQUIRE(p);
  CHECK(p->user_id == "user_2pQ7abc");
  CHECK(p->org_id == "org_2pQ8a1");  // o.id of a v2 token
  CHECK(p->role == Role::Analyst);
  CHECK(p->may(Permission::AnalyticsRiskRead));
  CHECK_FALSE(p->may(Permission::AnalyticsRiskWrite));

  auto v1 = clerk_payload();
  v1.erase("v");
  v1.erase("o");
  v1["org_id"] = "org_v1";
  CHECK(w.verify(v1)->org_id == "org_v1");
  for (const char* alg : {"RS384", "RS512"}) {
    auto header = clerk_header();
    header["alg"] = alg;
    CHECK(w.verify(clerk_payload(), header));
  }
}

TEST_CASE("without a known role a session user is an explorer", "[identity][clerk]") {
  PemWorld w;
  auto payload = clerk_payload();
  payload["metadata"] = json::object{{"role", "Admin"}};  // not exactly a role name
  const auto p = w.verify(payload);
  REQUIRE(p);
  CHECK_FALSE(p->role);
  CHECK(p->may(Permission::AnalyticsDashboardsRead));
  CHECK_FALSE(p->may(Permission::AnalyticsRiskRead));
  payload.erase("metadata");
  CHECK_FALSE(w.verify(payload)->may(Permission::AnalyticsRiskRead));
}

TEST_CASE("session times have 5 s of skew: exp, nbf, iat", "[identity][clerk]") {
  PemWorld w;
  auto at = [&](const char* claim, std::int64_t seconds) {
    auto payload = clerk_payload();
    payload[claim] = kNowS + seconds;
    return w.verify(payload).has_value();
  };
  CHECK(at("exp", -3));    // expired 3 s ago: within the skew
  CHECK_FALSE(at("exp", -10));
  CHECK(at("nbf", 4));
  CHECK_FALSE(at("nbf", 10));
  CHECK_FALSE(at("iat", 10));
  auto no_exp = clerk_payload();
  no_exp.erase("exp");
  CHECK_FALSE(w.verify(no_exp));
}

TEST_CASE("pending sessions, missing subjects and foreign algorithms are anonymous", "[identity][clerk][security]") {
  PemWorld w;
  auto pending = clerk_payload();
  pending["sts"] = "pending";
  CHECK_FALSE(w.verify(pending));
  auto no_sub = clerk_payload();
  no_sub.erase("sub");
  CHECK_FALSE(w.verify(no_sub));
  auto typed = clerk_header();
  typed["typ"] = "at+jwt";
  CHECK_FALSE(w.verify(clerk_payload(), typed));

  // alg none, with and without a signature.
  const std::string unsigned_token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                                     base64url_encode(json::serialize(clerk_payload())) + ".";
  CHECK_FALSE(w.verifier.verify(unsigned_token));
  // HS256 with the public key's PEM as the HMAC secret: the classic confusion.
  const auto confused = hs256_token({{"alg", "HS256"}, {"typ", "JWT"}}, clerk_payload(), signer().public_pem());
  CHECK_FALSE(w.verifier.verify(confused));
  // Signed by another key.
  const RsaSigner stranger;
  CHECK_FALSE(w.verifier.verify(stranger.sign(clerk_header(), clerk_payload())));
  // A payload changed after signing.
  const std::string token = signer().sign(clerk_header(), clerk_payload());
  auto payload = clerk_payload();
  payload["metadata"] = json::object{{"role", "admin"}};
  const auto dot1 = token.find('.'), dot2 = token.rfind('.');
  CHECK_FALSE(w.verifier.verify(token.substr(0, dot1 + 1) + base64url_encode(json::serialize(payload)) + token.substr(dot2)));
}

TEST_CASE("garbage is anonymous, never an error: three segments, bad base64, huge tokens", "[identity][clerk][security]") {
  PemWorld w;
  for (std::string bad : {"a.b.c", "..", "x", "eyJhbGciOiJSUzI1NiJ9.e30", "eyJ.eyJ.sig", "%%%.###.$$$",
                          "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "e30.e30.e30.e30"})
    CHECK_FALSE(w.verifier.verify(bad));
  CHECK_FALSE(w.verifier.verify(std::string(20000, 'a') + "." + std::string(10, 'b') + ".c"));
  auto big = clerk_payload();
  big["pad"] = std::string(9000, 'x');
  CHECK_FALSE(w.verify(big));
}

TEST_CASE("issuer and authorised parties are checked when configured", "[identity][clerk][security]") {
  CHECK(clerk::issuer_of_publishable_key("pk_test_" + base64_encode("happy-otter-12.clerk.accounts.dev$")) == kIssuer);
  CHECK_FALSE(clerk::issuer_of_publishable_key("sk_test_abc"));
  CHECK_FALSE(clerk::issuer_of_publishable_key("pk_test_" + base64_encode("no-dollar")));

  ManualClock clock{kNow};
  clerk::PemClerkKey keys{*jwt::RsaPublicKey::from_pem(signer().public_pem())};
  clerk::ClerkSessionVerifier strict(keys, {kIssuer, {"http://localhost:5173", "https://achilles.example"}, 5000, std::nullopt}, clock);
  CHECK(strict.verify(signer().sign(clerk_header(), clerk_payload())));
  auto evil = clerk_payload();
  evil["iss"] = "https://evil.example";
  CHECK_FALSE(strict.verify(signer().sign(clerk_header(), evil)));
  auto elsewhere = clerk_payload();
  elsewhere["azp"] = "https://phish.example";
  CHECK_FALSE(strict.verify(signer().sign(clerk_header(), elsewhere)));
  elsewhere.erase("azp");
  CHECK_FALSE(strict.verify(signer().sign(clerk_header(), elsewhere)));
}

TEST_CASE("keys from Clerk's JWKS: cached by kid, one refetch for unknown kids per 30 s", "[identity][clerk][jwks]") {
  const std::string secret = "sk_test_2pQ7secret0123456789";
  FakeClerk clerk_api(secret);
  clerk_api.keys(json::array{signer().jwk("ins_2pQ7TmVbC1Ax3")});
  ManualClock clock{kNow};
  http::OutboundClient client(loopback_policy());
  clerk::ClerkJwks keys(client, clerk_api.url(), secret, clock);
  clerk::ClerkSessionVerifier verifier(keys, {}, clock);
  const std::string good = signer().sign(clerk_header(), clerk_payload());

  // Before any fetch, the I/O thread cannot tell: it lets a worker decide.
  CHECK(verifier.verify_without_waiting(good) == IdentityVerifier::Verdict::Undecided);
  CHECK(clerk_api.jwks_calls() == 0);
  CHECK(verifier.verify(good));
  CHECK(verifier.verify(good));
  CHECK(verifier.verify_without_waiting(good) == IdentityVerifier::Verdict::Proven);
  CHECK(clerk_api.jwks_calls() == 1);

  // An unknown kid: one refetch, then none for 30 s however many arrive.
  const std::string unknown = signer().sign(clerk_header("ins_unknown"), clerk_payload());
  for (int i = 0; i < 20; ++i) CHECK_FALSE(verifier.verify(unknown));
  CHECK(clerk_api.jwks_calls() == 2);
  CHECK(verifier.verify_without_waiting(unknown) == IdentityVerifier::Verdict::Refused);
  clock.set(kNow + 31'000);
  auto later = clerk_payload();
  later["exp"] = kNowS + 120;
  CHECK_FALSE(verifier.verify(signer().sign(clerk_header("ins_unknown"), later)));
  CHECK(clerk_api.jwks_calls() == 3);

  // A rotated key set: the new kid is found by the (rate-limited) refetch.
  const RsaSigner rotated;
  clerk_api.keys(json::array{signer().jwk("ins_2pQ7TmVbC1Ax3"), rotated.jwk("ins_rotated")});
  clock.set(kNow + 62'000);
  CHECK(verifier.verify(rotated.sign(clerk_header("ins_rotated"), later)));
  CHECK(clerk_api.jwks_calls() == 4);

  // Stale after 5 minutes: fetched again once.
  clock.set(kNow + 5 * 60'000 + 62'000);
  auto much_later = clerk_payload();
  much_later["exp"] = (kNow + 10 * 60'000) / 1000;
  CHECK(verifier.verify(signer().sign(clerk_header(), much_later)));
  CHECK(clerk_api.jwks_calls() == 5);
}

TEST_CASE("tokens that are not Clerk session tokens never reach Clerk", "[identity][clerk][jwks][security]") {
  const std::string secret = "sk_test_2pQ7secret0123456789";
  FakeClerk clerk_api(secret);
  ManualClock clock{kNow};
  http::OutboundClient client(loopback_policy());
  clerk::ClerkJwks keys(client, clerk_api.url(), secret, clock);
  clerk::ClerkSessionVerifier verifier(keys, {}, clock);
  CHECK_FALSE(verifier.verify("pa_" + std::string(64, 'a')));  // an API key
  CHECK_FALSE(verifier.verify("ak_3f9c2b"));                     // an agent key
  CHECK_FALSE(verifier.verify(hs256_token({{"alg", "HS256"}, {"typ", "JWT"}},
                                          {{"sub", "user_1"}, {"iss", "projectachilles"}, {"type", "cli"}, {"exp", kNowS + 60}},
                                          "cli-secret")));  // a CLI token
  auto no_kid = clerk_header();
  no_kid.erase("kid");
  CHECK_FALSE(verifier.verify(signer().sign(no_kid, clerk_payload())));
  auto expired = clerk_payload();
  expired["exp"] = kNowS - 60;
  CHECK_FALSE(verifier.verify(signer().sign(clerk_header(), expired)));
  CHECK(clerk_api.jwks_calls() == 0);
}

TEST_CASE("a failing JWKS endpoint leaves tokens anonymous and is not hammered", "[identity][clerk][jwks]") {
  const std::string secret = "sk_test_2pQ7secret0123456789";
  FakeClerk clerk_api(secret);
  clerk_api.failing(true);
  ManualClock clock{kNow};
  http::OutboundClient client(loopback_policy());
  clerk::ClerkJwks keys(client, clerk_api.url(), secret, clock);
  clerk::ClerkSessionVerifier verifier(keys, {}, clock);
  const std::string good = signer().sign(clerk_header(), clerk_payload());
  for (int i = 0; i < 10; ++i) CHECK_FALSE(verifier.verify(good));
  CHECK(clerk_api.jwks_calls() == 1);
  clerk_api.failing(false);
  clerk_api.keys(json::array{signer().jwk("ins_2pQ7TmVbC1Ax3")});
  clock.set(kNow + 31'000);
  auto later = clerk_payload();
  later["exp"] = kNowS + 120;
  CHECK(verifier.verify(signer().sign(clerk_header(), later)));
  CHECK(clerk_api.jwks_calls() == 2);
}

TEST_CASE("CLERK_JWT_KEY accepts RSA keys of 2048 bits or more, nothing else", "[identity][clerk]") {
  CHECK(jwt::RsaPublicKey::from_pem(signer().public_pem()));
  CHECK_FALSE(jwt::RsaPublicKey::from_pem("not a key"));
  CHECK_FALSE(jwt::RsaPublicKey::from_pem(RsaSigner(1024).public_pem()));
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), ec_key.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  CHECK_FALSE(jwt::RsaPublicKey::from_pem(std::string(data, static_cast<std::size_t>(n))));
}

TEST_CASE("ACHILLES_ORG_CLAIM names the claim that carries the organisation", "[identity][clerk][org]") {
  ManualClock clock{kNow};
  clerk::PemClerkKey keys{*jwt::RsaPublicKey::from_pem(signer().public_pem())};
  clerk::ClerkSessionOptions options;
  options.org_claim = "metadata.results_org";
  clerk::ClerkSessionVerifier verifier(keys, options, clock);
  auto payload = clerk_payload();
  payload["metadata"] = json::object{{"role", "analyst"}, {"results_org", "09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31"}};
  CHECK(verifier.verify(signer().sign(clerk_header(), payload))->org_id == "09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31");
  // Without that claim: no organisation from `o.id` either.
  CHECK(verifier.verify(signer().sign(clerk_header(), clerk_payload()))->org_id.empty());
}
