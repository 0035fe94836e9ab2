// `achilles serve` with the original deployment's identity settings: the
// web dashboard's Clerk session tokens (CLERK_JWT_KEY) and the CLI's tokens
// (CLI_AUTH_SECRET) open the API with their role's permissions.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "fakes/fake_clerk.hpp"
#include "support/token_minter.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

unsigned short port_of(const std::string& line) {
  return static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1)));
}

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("serve accepts the dashboard's Clerk sessions and the CLI's tokens with their roles", "[cli][serve][identity]") {
  TempDir dir;
  const RsaSigner clerk_key;
  const std::string cli_secret = "cli-auth-secret-3c1f0e9b7a5d4c2b1a0f";
  std::string pem = clerk_key.public_pem();
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", (dir / "data").string(), "--listen", "127.0.0.1:0"},
                      {"CLERK_JWT_KEY=" + pem, "CLI_AUTH_SECRET=" + cli_secret, "AGENT_SERVER_URL=https://achilles.example"});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  CHECK(server.output().find("accepting admin token, Clerk sessions (CLERK_JWT_KEY), CLI tokens") != std::string::npos);
  HttpClient client(port_of(listening));

  const std::int64_t now = now_s();
  const std::string analyst = clerk_key.sign(
      {{"alg", "RS256"}, {"kid", "ins_2pQ7"}, {"typ", "JWT"}},
      {{"sub", "user_analyst"}, {"exp", now + 60}, {"iat", now}, {"nbf", now - 10}, {"sts", "active"}, {"v", 2},
       {"metadata", {{"role", "analyst"}}}, {"iss", "https://happy-otter-12.clerk.accounts.dev"}});
  CHECK(client.get("/api/analytics/defense-score", analyst).status == 200);
  CHECK(client.get("/api/risk-acceptances", analyst).status == 200);
  const auto denied = client.request(boost::beast::http::verb::post, "/api/analytics/executions/archive", analyst,
                                     R"({"groupKeys":["bundle::b::h::1"]})");
  CHECK(denied.status == 403);
  CHECK(denied.body == R"({"success":false,"error":"Insufficient permissions"})");

  const std::string cli = hs256_token({{"alg", "HS256"}, {"typ", "JWT"}},
                                      {{"sub", "user_admin"}, {"org_id", "default"}, {"role", "admin"}, {"type", "cli"},
                                       {"iat", now}, {"exp", now + 3600}, {"aud", "https://achilles.example"},
                                       {"iss", "projectachilles"}},
                                      cli_secret);
  CHECK(client.get("/api/analytics/settings", cli).status == 200);
  const std::string wrong_audience = hs256_token({{"alg", "HS256"}, {"typ", "JWT"}},
                                                 {{"sub", "user_admin"}, {"role", "admin"}, {"type", "cli"}, {"iat", now},
                                                  {"exp", now + 3600}, {"aud", "http://localhost:3000"},
                                                  {"iss", "projectachilles"}},
                                                 cli_secret);
  const auto refused = client.get("/api/analytics/settings", wrong_audience);
  CHECK(refused.status == 401);
  CHECK(refused.body == R"({"success":false,"error":"Authentication required"})");
  CHECK(client.get("/api/analytics/defense-score", "a.b.c").status == 401);  // the original answered 500
}

TEST_CASE("serve refuses to start with a CLERK_JWT_KEY that is not an RSA public key", "[cli][serve][identity]") {
  TempDir dir;
  const auto run = run_achilles_env("serve --data-dir '" + (dir / "data").string() + "' --listen 127.0.0.1:0", dir,
                                    "CLERK_JWT_KEY=not-a-key");
  CHECK(run.exit_code != 0);
  CHECK(run.err.find("CLERK_JWT_KEY: not a PEM RSA public key of 2048 bits or more") != std::string::npos);
}

TEST_CASE("serve maps identity organisations to results' organisations with ACHILLES_ORG_MAP", "[cli][serve][identity][org]") {
  TempDir dir;
  const RsaSigner clerk_key;
  std::ofstream(dir / "orgs.json") << R"({"org_2pQ8a1": "09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31"})";
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", (dir / "data").string(), "--listen", "127.0.0.1:0"},
                      {"CLERK_JWT_KEY=" + clerk_key.public_pem(), "ACHILLES_ORG_MAP=" + (dir / "orgs.json").string()});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  HttpClient client(port_of(listening));
  const std::int64_t now = now_s();
  const std::string token = clerk_key.sign(
      {{"alg", "RS256"}, {"kid", "ins_2pQ7"}, {"typ", "JWT"}},
      {{"sub", "user_analyst"}, {"exp", now + 60}, {"iat", now}, {"v", 2}, {"o", {{"id", "org_2pQ8a1"}, {"rol", "member"}}},
       {"metadata", {{"role", "analyst"}}}});
  CHECK(client.get("/api/analytics/defense-score?org=09b59276-9efb-4d3d-bbdb-4ae6ab6e1a31", token).status == 200);
  CHECK(client.get("/api/analytics/defense-score?org=org_2pQ8a1", token).status == 403);

  const auto broken = run_achilles_env("serve --data-dir '" + (dir / "data2").string() + "' --listen 127.0.0.1:0", dir,
                                       "ACHILLES_ORG_MAP='" + (dir / "missing.json").string() + "'");
  CHECK(broken.exit_code != 0);
  CHECK(broken.err.find("ACHILLES_ORG_MAP: cannot read missing.json") != std::string::npos);
}

TEST_CASE("serve fetches Clerk's keys with CLERK_SECRET_KEY, through the outbound policy", "[cli][serve][identity][jwks]") {
  TempDir dir;
  const RsaSigner clerk_key;
  const std::string secret = "sk_test_2pQ7secret0123456789";
  FakeClerk clerk_api(secret);
  clerk_api.keys(json::array{clerk_key.jwk("ins_2pQ7")});
  const std::int64_t now = now_s();
  const std::string token = clerk_key.sign({{"alg", "RS256"}, {"kid", "ins_2pQ7"}, {"typ", "JWT"}},
                                           {{"sub", "user_1"}, {"exp", now + 60}, {"iat", now}, {"metadata", {{"role", "admin"}}}});
  {
    // Loopback is refused unless the operator lists it: the start says so.
    const auto refused = run_achilles_env("serve --data-dir '" + (dir / "d1").string() + "' --listen 127.0.0.1:0", dir,
                                          "CLERK_SECRET_KEY=" + secret + " CLERK_API_URL=" + clerk_api.url());
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("CLERK_API_URL:") != std::string::npos);
  }
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", (dir / "data").string(), "--listen", "127.0.0.1:0"},
                      {"CLERK_SECRET_KEY=" + secret, "CLERK_API_URL=" + clerk_api.url(),
                       "ACHILLES_ALLOWED_NETWORKS=127.0.0.0/8"});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  CHECK(server.output().find("Clerk sessions (JWKS)") != std::string::npos);
  HttpClient client(port_of(listening));
  CHECK(client.get("/api/analytics/settings", token).status == 200);
  CHECK(client.request(boost::beast::http::verb::post, "/api/risk-acceptances/lookup", token, R"({"test_names":["T"]})")
            .status == 200);
  CHECK(clerk_api.jwks_calls() == 1);
  CHECK(client.get("/api/analytics/settings", "pa_" + std::string(64, 'a')).status == 401);
  CHECK(clerk_api.jwks_calls() == 1);
}

TEST_CASE("two servers on one data dir: only the first runs the Defender sync", "[cli][serve][defender]") {
  TempDir dir;
  const std::string data = (dir / "data").string();
  ChildProcess first({ACHILLES_BINARY, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"});
  REQUIRE_FALSE(first.wait_for_line("listening on").empty());
  ChildProcess second({ACHILLES_BINARY, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"});
  REQUIRE_FALSE(second.wait_for_line("listening on").empty());
  CHECK(first.output().find("runs the Defender sync for this data dir") == std::string::npos);
  CHECK(second.output().find("another achilles process runs the Defender sync for this data dir") != std::string::npos);
}
