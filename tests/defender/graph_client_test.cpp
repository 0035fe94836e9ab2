// The Graph client against a fake Microsoft Graph answering recorded
// payloads: tokens, paging, 429s, expired tokens, failures (defender-spec §2).
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>

#include "achilles/graph/client_assertion.hpp"
#include "achilles/graph/graph_client.hpp"
#include "achilles/text/base64.hpp"
#include "fakes/fake_graph.hpp"
#include "mocks/manual_clock.hpp"
#include "support/loopback_policy.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'764'489'600'000;  // 2025-11-30T08:00:00Z

DefenderCredentials secret_credentials() {
  DefenderCredentials c;
  c.tenant_id = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";
  c.client_id = "0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70";
  c.client_secret = "graph-client-secret~0123456789";
  return c;
}

struct World {
  FakeGraph fake;
  ManualClock clock{kNow};
  std::vector<std::chrono::seconds> waits;
  http::OutboundClient outbound{loopback_policy()};
  graph::GraphClient client{outbound, {fake.url(), fake.url()}, clock,
                            graph::GraphRetries{3, std::chrono::seconds(5), std::chrono::seconds(60),
                                                [this](std::chrono::seconds s) { waits.push_back(s); }}};
};

std::string failure_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const GraphFailure& e) {
    return e.what();
  }
  return "no failure";
}

}  // namespace

TEST_CASE("a client-secret token is asked as the original asks it, and cached until near expiry", "[defender][graph]") {
  World w;
  const auto c = secret_credentials();
  CHECK(w.client.secure_scores(c).size() == 3);
  CHECK(w.client.control_profiles(c).size() == 3);
  CHECK(w.fake.tokens_issued() == 1);  // one token for both (REC-2)
  const auto token_request = w.fake.requests().front();
  CHECK(token_request.target == "/5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13/oauth2/v2.0/token");
  CHECK(token_request.body ==
        "grant_type=client_credentials&client_id=0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70&client_secret=graph-client-secret%7E0123456789"
        "&scope=" + std::string("http%3A%2F%2F127.0.0.1%3A") + w.fake.url().substr(w.fake.url().rfind(':') + 1) + "%2F.default");
  // expires_in is 3599: a new token is taken once less than 5 minutes are left.
  w.clock.set(kNow + (3599 - 301) * 1000LL);
  w.client.control_profiles(c);
  CHECK(w.fake.tokens_issued() == 1);
  w.clock.set(kNow + (3599 - 299) * 1000LL);
  w.client.control_profiles(c);
  CHECK(w.fake.tokens_issued() == 2);
  // Other credentials, another token.
  auto other = c;
  other.client_id = "1c8e3f50-7b9d-4e2f-a4c6-8b0d2f4e6a81";
  CHECK_NOTHROW(w.client.acquire_token(other));
  CHECK(w.fake.tokens_issued() == 3);
}

TEST_CASE("a refused secret says why, in the identity platform's words", "[defender][graph]") {
  World w;
  auto c = secret_credentials();
  c.client_secret = "wrong";
  const auto message = failure_of([&] { w.client.acquire_token(c); });
  CHECK(message.starts_with("Token acquisition failed: AADSTS7000215: Invalid client secret provided."));
  CHECK(message.find("wrong") == std::string::npos);
  CHECK(w.client.secure_scores(secret_credentials()).size() == 3);
}

TEST_CASE("pages are followed to the end, and the recorded fields read as Graph sent them", "[defender][graph]") {
  World w;
  const auto scores = w.client.secure_scores(secret_credentials());
  REQUIRE(scores.size() == 3);
  CHECK(scores[0].created_date_time == "2026-11-29T00:00:00Z");
  CHECK(scores[0].current_score == Approx(417.16));
  CHECK(scores[0].max_score == 784.0);
  CHECK(scores[0].azure_tenant_id == "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13");
  REQUIRE(scores[0].control_scores.size() == 4);
  CHECK(scores[2].created_date_time == "2026-11-27T00:00:00Z");
  for (const auto& s : scores)
    for (const auto& cs : s.control_scores)
      if (cs.name == "scid_2010") CHECK(cs.score == 0);  // absent or null
  const auto first = w.fake.requests()[1].target;
  CHECK(first == "/v1.0/security/secureScores?%24top=90&%24orderby=createdDateTime+desc");

  const auto profiles = w.client.control_profiles(secret_credentials());
  REQUIRE(profiles.size() == 3);
  const auto& scid = profiles[2];
  CHECK(scid.id == "scid_2010");
  CHECK(scid.deprecated);
  CHECK(scid.threats.empty());
  CHECK(scid.action_url.empty());

  const auto alerts = w.client.alerts(secret_credentials(), {std::nullopt, "2026-09-01T00:00:00.000Z"});
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[0].mitre_techniques == std::vector<std::string>{"T1003.001"});
  CHECK_FALSE(alerts[0].resolved_date_time);
  CHECK(alerts[2].resolved_date_time);
  CHECK(std::find(alerts[0].evidence.file_names.begin(), alerts[0].evidence.file_names.end(), "Achilles_LSASS_Dump.EXE") !=
        alerts[0].evidence.file_names.end());
}

TEST_CASE("alerts are asked since the watermark, or created in the last window on a first sync", "[defender][graph]") {
  World w;
  w.client.alerts(secret_credentials(), {std::string("2026-11-30T07:55:00.000Z"), "2026-09-01T00:00:00.000Z"});
  w.client.alerts(secret_credentials(), {std::nullopt, "2026-09-01T00:00:00.000Z"});
  std::vector<std::string> firsts;
  for (const auto& r : w.fake.requests())
    if (r.target.starts_with("/v1.0/security/alerts_v2?%24top")) firsts.push_back(r.target);
  REQUIRE(firsts.size() == 2);
  CHECK(firsts[0] == "/v1.0/security/alerts_v2?%24top=500&%24orderby=createdDateTime+desc"
                     "&%24filter=lastUpdateDateTime+ge+2026-11-30T07%3A55%3A00.000Z");
  CHECK(firsts[1].ends_with("&%24filter=createdDateTime+ge+2026-09-01T00%3A00%3A00.000Z"));
}

TEST_CASE("429 waits its Retry-After (at most 60 s), three times, then fails clearly", "[defender][graph]") {
  World w;
  w.fake.answer_next("secureScores", 429, R"({"error":{"code":"TooManyRequests","message":"Too many requests"}})", "7");
  w.fake.answer_next("secureScores", 429, R"({"error":{"code":"TooManyRequests","message":"Too many requests"}})", "3600");
  w.fake.answer_next("secureScores", 429, R"({"error":{"code":"TooManyRequests","message":"Too many requests"}})");
  CHECK(w.client.secure_scores(secret_credentials()).size() == 3);
  CHECK(w.waits == std::vector<std::chrono::seconds>{std::chrono::seconds(7), std::chrono::seconds(60), std::chrono::seconds(5)});
  for (int i = 0; i < 4; ++i)
    w.fake.answer_next("secureScoreControlProfiles", 429, R"({"error":{"code":"TooManyRequests","message":"Too many requests"}})", "1");
  CHECK(failure_of([&] { w.client.control_profiles(secret_credentials()); }) ==
        "Graph API request failed: HTTP 429 \u2014 TooManyRequests: Too many requests");
}

TEST_CASE("an expired token is renewed once, a second 401 is an error", "[defender][graph]") {
  World w;
  CHECK(w.client.secure_scores(secret_credentials()).size() == 3);
  w.fake.expire_tokens();
  CHECK(w.client.secure_scores(secret_credentials()).size() == 3);
  CHECK(w.fake.tokens_issued() == 2);
  w.fake.answer_next("secureScores", 401, R"({"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}})");
  w.fake.answer_next("secureScores", 401, R"({"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}})");
  CHECK(failure_of([&] { w.client.secure_scores(secret_credentials()); }) ==
        "Graph API request failed: HTTP 401 \u2014 InvalidAuthenticationToken: Access token is empty.");
}

TEST_CASE("5xx, HTML, malformed JSON and a foreign next page are clear failures", "[defender][graph]") {
  World w;
  w.fake.answer_next("alerts_v2", 503, "<html><body>Service Unavailable</body></html>");
  CHECK(failure_of([&] { w.client.alerts(secret_credentials(), {std::nullopt, "2026-09-01T00:00:00Z"}); }) ==
        "Graph API request failed: HTTP 503");
  w.fake.answer_next("alerts_v2", 200, R"({"value":[{"id":"a1"},)");
  CHECK(failure_of([&] { w.client.alerts(secret_credentials(), {std::nullopt, "2026-09-01T00:00:00Z"}); }) ==
        "Graph API request failed: HTTP 200 with a body that is not JSON");
  w.fake.answer_next("secureScores", 200, R"({"value":[],"@odata.nextLink":"http://169.254.169.254/latest/meta-data"})");
  CHECK(failure_of([&] { w.client.secure_scores(secret_credentials()); }) ==
        "Graph API request failed: a next page on another host was refused");
}

TEST_CASE("an answer that never ends is cut off by the outbound timeout", "[defender][graph]") {
  FakeGraph fake;
  ManualClock clock{kNow};
  http::OutboundLimits limits;
  limits.total_timeout = std::chrono::milliseconds(1500);
  http::OutboundClient outbound(loopback_policy(), limits);
  graph::GraphClient client(outbound, {fake.url(), fake.url()}, clock);
  fake.never_end_next("secureScores");
  const auto message = failure_of([&] { client.secure_scores(secret_credentials()); });
  CHECK(message.starts_with("Graph API request failed: "));
}

TEST_CASE("a certificate signs a client assertion the token endpoint accepts", "[defender][graph][certificate]") {
  // The spec's test vector.
  CHECK(graph::x5t_of_thumbprint("A1B2C3D4E5F60718293A4B5C6D7E8F9001122334") == "obLD1OX2BxgpOktcbX6PkAESIzQ");
  CHECK(graph::x5t_of_thumbprint("A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:01:12:23:34") == "obLD1OX2BxgpOktcbX6PkAESIzQ");
  CHECK_FALSE(graph::x5t_of_thumbprint("A1B2C3D4E5F6071829ZZ"));  // REC-3: no silent truncation
  CHECK_FALSE(graph::x5t_of_thumbprint("A1B"));

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(n));
  const std::string jwt = graph::client_assertion("https://login.example/t/oauth2/v2.0/token", "client-1",
                                                  "A1B2C3D4E5F60718293A4B5C6D7E8F9001122334", pem, 1'764'489'600);
  const auto dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  CHECK(*base64_decode(jwt.substr(0, dot1)) == R"({"alg":"RS256","typ":"JWT","x5t":"obLD1OX2BxgpOktcbX6PkAESIzQ"})");
  const auto payload = json::parse(*base64_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
  CHECK(payload.at("aud") == "https://login.example/t/oauth2/v2.0/token");
  CHECK(payload.at("iss") == "client-1");
  CHECK(payload.at("sub") == "client-1");
  CHECK(payload.at("exp") == 1'764'490'200);
  CHECK(payload.at("nbf") == 1'764'489'600);
  CHECK(payload.at("jti").as_string().size() == 36);
  // The signature is the key's.
  const std::string input = jwt.substr(0, dot2);
  const std::string signature = *base64_decode(jwt.substr(dot2 + 1));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
  CHECK(EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);

  World w;
  DefenderCredentials c = secret_credentials();
  c.method = DefenderCredentials::Method::Certificate;
  c.client_secret.clear();
  c.cert_thumbprint = "A1B2C3D4E5F60718293A4B5C6D7E8F9001122334";
  c.private_key_pem = pem;
  CHECK_NOTHROW(w.client.acquire_token(c));
  CHECK(w.fake.requests().back().body.find("client_assertion=") != std::string::npos);
  CHECK(w.fake.requests().back().body.find("client_secret") == std::string::npos);
  c.private_key_pem = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
  CHECK(failure_of([&] { w.client.acquire_token(c); }) ==
        "Failed to build certificate assertion: the private key is not a readable PEM key");
}

TEST_CASE("a 429 with Retry-After 0 is retried at once", "[defender][graph]") {
  World w;
  w.fake.answer_next("secureScores", 429, R"({"error":{"code":"TooManyRequests","message":"Too many requests"}})", "0");
  CHECK(w.client.secure_scores(secret_credentials()).size() == 3);
  CHECK(w.waits == std::vector<std::chrono::seconds>{std::chrono::seconds(0)});
}

TEST_CASE("auto-resolve's writes: the PATCH and the comment as the original sends them, and each refusal named",
          "[defender][graph]") {
  World w;
  const auto c = secret_credentials();
  const std::string id = "da639315578021234567_-961444813";
  w.client.resolve_alert(c, id);
  w.client.comment_on_alert(c, id, "Achilles test b1f3 \u2014 authorized continuous validation.");
  w.client.comment_on_alert(c, id, "");  // nothing to say: no request
  std::vector<FakeGraph::Request> writes;
  for (const auto& r : w.fake.requests())
    if (r.method != "GET" && r.target.find("/oauth2/") == std::string::npos) writes.push_back(r);
  REQUIRE(writes.size() == 2);
  CHECK(writes[0].method == "PATCH");
  CHECK(writes[0].target == "/v1.0/security/alerts_v2/" + id);
  CHECK(json::parse(writes[0].body) ==
        json::parse(R"({"status":"resolved","classification":"informationalExpectedActivity","determination":"securityTesting"})"));
  CHECK(writes[1].method == "POST");
  CHECK(writes[1].target == "/v1.0/security/alerts_v2/" + id + "/comments");
  CHECK(json::parse(writes[1].body) ==
        json::parse(R"({"@odata.type":"microsoft.graph.security.alertComment","comment":"Achilles test b1f3 \u2014 authorized continuous validation."})"));

  // Ids are one path segment, as encodeURIComponent writes it.
  const auto odd = failure_of([&] { w.client.resolve_alert(c, "alert/with spaces & chars"); });
  CHECK(w.fake.requests().back().target == "/v1.0/security/alerts_v2/alert%2Fwith%20spaces%20%26%20chars");
  CHECK(odd == "Graph alert not found (HTTP 404): alert/with spaces & chars. The alert may have been deleted upstream.");
  w.fake.answer_next("alerts_v2/" + id, 403, R"({"error":{"code":"Forbidden","message":"Missing role"}})");
  const auto forbidden = failure_of([&] { w.client.resolve_alert(c, id); });
  CHECK(forbidden.find("SecurityAlert.ReadWrite.All") != std::string::npos);
  for (int i = 0; i < 4; ++i) w.fake.answer_next("alerts_v2/" + id, 429, R"({"error":{"code":"TooManyRequests","message":"x"}})", "1");
  CHECK(failure_of([&] { w.client.resolve_alert(c, id); }).starts_with("Graph PATCH failed: HTTP 429"));  // three retries, then given up
  CHECK(failure_of([&] { w.client.resolve_alert(c, ""); }) == "updateAlert: alertId is required");
  try {
    w.fake.answer_next("alerts_v2/" + id, 404, R"({"error":{"code":"NotFound","message":"gone"}})");
    w.client.resolve_alert(c, id);
    FAIL("no failure");
  } catch (const GraphWriteFailure& e) {
    CHECK(e.status() == 404);
  }
}
