// The original's rate limits (platform-spec §2.5): budgets, keys, headers
// and bodies, with the test's small budgets in place of 60 and 1000.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "api/rate_limits.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

server::RateLimitPolicy small_limits() {
  server::RateLimitPolicy p;
  p.cli_bearer.limit = 3;
  p.api_key.limit = 2;
  p.global.limit = 5;
  return p;
}

}  // namespace

TEST_CASE("a principal's requests count against its own budget, with the RateLimit headers", "[http][rate-limits]") {
  TestServer server({}, small_limits());
  auto client = server.client();
  for (int i = 0; i < 5; ++i) {
    const auto ok = client.get("/api/analytics/defense-score", "admin-token");
    REQUIRE(ok.status == 200);
    CHECK(ok.header("RateLimit-Remaining") == std::to_string(4 - i));
  }
  const auto fifth_reply = client.get("/api/analytics/defense-score", "explorer-token");  // another principal: its own window
  CHECK(fifth_reply.status == 200);
  const auto limited = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(limited.status == 429);
  CHECK(limited.body == R"({"success":false,"error":"Too many requests, please try again later"})");
  CHECK(limited.header("Retry-After") == "900");
  CHECK(limited.header("RateLimit-Policy") == "5;w=900");
  CHECK(limited.header("RateLimit-Limit") == "5");
  CHECK(limited.header("RateLimit-Remaining") == "0");
  CHECK(limited.header("RateLimit-Reset") == "900");
  // The window ends 15 minutes after its first request.
  server.set_now(TestServer::kNow + 900'000);
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);
  // Health is never limited: probes never see a 429.
  for (int i = 0; i < 10; ++i) CHECK(client.get("/api/health").status == 200);
}

TEST_CASE("bad bearer tokens and CLI tokens share a per-address budget", "[http][rate-limits][security]") {
  TestServer server({}, small_limits());
  auto client = server.client();
  CHECK(client.get("/api/analytics/defense-score", "made-up-1").status == 401);
  CHECK(client.get("/api/analytics/defense-score", "made-up-2").status == 401);
  const auto third = client.get("/api/analytics/defense-score", "made-up-3");
  CHECK(third.status == 401);
  CHECK(third.header("RateLimit-Limit") == "3");
  CHECK(third.header("RateLimit-Remaining") == "0");
  const auto fourth = client.get("/api/analytics/defense-score", "made-up-4");
  CHECK(fourth.status == 429);
  CHECK(fourth.body == R"({"success":false,"error":"Too many authentication attempts"})");
  CHECK_FALSE(fourth.header("Retry-After").empty());
}

TEST_CASE("pa_ keys have their own per-address budget", "[http][rate-limits]") {
  TestServer server({}, small_limits());
  auto client = server.client();
  const std::string unknown = "pa_" + std::string(64, 'a');
  CHECK(client.get("/api/analytics/defense-score", unknown).status == 401);
  CHECK(client.get("/api/analytics/defense-score", unknown).status == 401);
  const auto third = client.get("/api/analytics/defense-score", unknown);
  CHECK(third.status == 429);
  CHECK(third.body == R"({"success":false,"error":"Too many API key authentication attempts"})");
}

TEST_CASE("IPv6 clients are counted by their /56, IPv4 by address", "[rate-limits]") {
  CHECK(server::rate_limit_address("203.0.113.7") == "203.0.113.7");
  CHECK(server::rate_limit_address("2001:db8:abcd:12ff:1:2:3:4") == "2001:db8:abcd:1200::/56");
  CHECK(server::rate_limit_address("2001:db8:abcd:1201::9") == "2001:db8:abcd:1200::/56");
  CHECK(server::rate_limit_address("::ffff:198.51.100.1") == "198.51.100.1");
}

TEST_CASE("the windows' memory is bounded", "[rate-limits][security]") {
  server::FixedWindows windows;
  const server::RateLimit limit{10, std::chrono::seconds(60), "x"};
  for (std::size_t i = 0; i < server::FixedWindows::kMaxKeys + 500; ++i) windows.hit("ip:" + std::to_string(i), limit, 1000);
  // Still counting correctly for a fresh key after eviction.
  CHECK(windows.hit("ip:new", limit, 1000).remaining == 9);
}
