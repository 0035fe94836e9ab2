// GET /metrics (Prometheus' text format) and the access log: what an
// operator scrapes and reads, and that neither ever carries a credential.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <regex>
#include <sstream>

#include "achilles/demo/demo_results.hpp"
#include "achilles/log/log.hpp"
#include "achilles/metrics/process_metrics.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/cluster_and_reference.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text))
    if (l == line) return true;
  return false;
}

}  // namespace

TEST_CASE("GET /metrics counts requests by route template and status, with latency histograms and memory",
          "[http][metrics]") {
  metrics::ProcessMetrics::process().reset();
  TestServer server;
  server.load(demo_documents(30));
  auto client = server.client();
  REQUIRE(client.get("/api/analytics/defense-score?from=now-30d", "admin-token").status == 200);
  REQUIRE(client.get("/api/analytics/defense-score?from=now-7d", "admin-token").status == 200);
  REQUIRE(client.get("/api/risk-acceptances/some-id", "admin-token").status == 404);
  REQUIRE(client.get("/api/analytics/defense-score", "").status == 401);
  REQUIRE(client.get("/api/no/such/route", "admin-token").status == 404);

  const auto scraped = client.get("/metrics", "admin-token");
  REQUIRE(scraped.status == 200);
  CHECK(scraped.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scraped.body;
  // Two requests with different query strings: one series, named by the template.
  CHECK(has_line(text, R"(achilles_http_requests_total{method="GET",route="/api/analytics/defense-score",status="200"} 2)"));
  CHECK(has_line(text, R"(achilles_http_requests_total{method="GET",route="/api/risk-acceptances/:id",status="404"} 1)"));
  CHECK(has_line(text, R"(achilles_http_requests_total{method="GET",route="/api/analytics/defense-score",status="401"} 1)"));
  CHECK(has_line(text, R"(achilles_http_requests_total{method="GET",route="unmatched",status="404"} 1)"));
  CHECK(has_line(text,
                 R"(achilles_http_request_duration_seconds_bucket{method="GET",route="/api/analytics/defense-score",status="200",le="+Inf"} 2)"));
  CHECK(has_line(text,
                 R"(achilles_http_request_duration_seconds_count{method="GET",route="/api/analytics/defense-score",status="200"} 2)"));
  CHECK(has_line(text, "achilles_http_requests_in_flight 1"));  // the scrape itself
  CHECK(has_line(text, "# TYPE achilles_http_request_duration_seconds histogram"));
  CHECK(text.find("process_resident_memory_bytes ") != std::string::npos);
  // No raw path or query string becomes a label.
  CHECK(text.find("now-30d") == std::string::npos);
  CHECK(text.find("/api/no/such/route") == std::string::npos);
  CHECK(text.find("some-id") == std::string::npos);

  // Every line is a comment or a sample the text format allows, and buckets only grow.
  const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$)");
  const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  for (const auto& line : lines_of(text)) {
    INFO(line);
    CHECK((std::regex_match(line, sample) || std::regex_match(line, comment)));
  }
}

TEST_CASE("GET /metrics needs system:metrics:read: admins, operators and read API keys, not analysts or explorers",
          "[http][metrics][permissions]") {
  TestServer server;
  auto client = server.client();
  CHECK(client.get("/metrics", "").status == 401);
  CHECK(client.get("/metrics", "explorer-token").status == 403);
  CHECK(client.get("/metrics", "org-token").status == 403);
  CHECK(client.get("/metrics", "operator-token").status == 200);
  const auto key = client.request(verb::post, "/api/api-keys", "admin-token", R"({"name":"prometheus","scope":"read"})");
  REQUIRE(key.status == 201);
  CHECK(client.get("/metrics", std::string(json::parse(key.body).at("data").at("key").as_string())).status == 200);
}

TEST_CASE("GET /metrics counts refusals by reason and upstream calls by outcome", "[http][metrics]") {
  metrics::ProcessMetrics::process().reset();
  FakeElasticsearch cluster;
  auto es = adapter_on(cluster, "achilles-results-m");
  es.cluster().create_index("achilles-results-m", elasticsearch::results_index_body());
  es.append(demo_documents(20));
  TestServer server(loopback());
  // A body announced over the 1 MiB limit: refused on the header alone.
  CHECK(server.client()
            .raw("POST /api/risk-acceptances HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Authorization: Bearer admin-token\r\nContent-Length: 2097152\r\n\r\n")
            .status == 413);
  auto client = server.client();
  REQUIRE(client.request(verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + cluster.url() + "\"}").status == 200);
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);

  const std::string text = client.get("/metrics", "admin-token").body;
  CHECK(has_line(text, R"(achilles_http_requests_rejected_total{reason="body_too_large"} 1)"));
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(R"(achilles_upstream_requests_total\{upstream="elasticsearch",outcome="2xx"\} ([0-9]+))")));
  CHECK(std::stoi(m[1]) >= 1);
  CHECK(text.find(R"(achilles_upstream_request_duration_seconds_count{upstream="elasticsearch",outcome="2xx"})") !=
        std::string::npos);
}

TEST_CASE("the access log: one JSON line per request with its route template, status, bytes and caller, never a credential",
          "[http][log][security]") {
  std::string captured;
  {
    TestServer server({}, TestServer::no_limits(), "https://graph.invalid", /*access_log=*/true);
    auto client = server.client();
    const auto key = client.request(verb::post, "/api/api-keys", "admin-token", R"({"name":"ci","scope":"read"})");
    REQUIRE(key.status == 201);
    const std::string api_key(json::parse(key.body).at("data").at("key").as_string());
    log_to(&captured);
    const auto score = client.get("/api/analytics/defense-score?from=now-30d&token=admin-token&key=" + api_key, api_key);
    CHECK(score.status == 200);
    CHECK(client.get("/api/analytics/defense-score?access_token=admin-token", "admin-token-wrong").status == 401);
    CHECK(client.get("/api/risk-acceptances/no-such-acceptance", "admin-token").status == 404);
    log_to(nullptr);
  }
  const auto lines = lines_of(captured);
  REQUIRE(lines.size() == 3);
  const auto first = json::parse(lines[0]).as_object();
  CHECK(first.at("component") == "http");
  CHECK(first.at("method") == "GET");
  CHECK(first.at("route") == "/api/analytics/defense-score");
  CHECK(first.at("status") == 200);
  CHECK(first.at("bytes").as_int64() > 0);
  CHECK(first.at("ms").is_double());
  CHECK(first.at("ip") == "127.0.0.1");
  CHECK(first.at("principal").as_string().starts_with("apikey:"));
  CHECK(first.contains("ts"));
  CHECK(json::parse(lines[1]).at("status") == 401);
  CHECK(json::parse(lines[2]).at("route") == "/api/risk-acceptances/:id");
  // Neither the bearer tokens, nor the key, nor anything from a query string.
  CHECK(captured.find("admin-token") == std::string::npos);
  CHECK(captured.find("pa_") == std::string::npos);
  CHECK(captured.find("now-30d") == std::string::npos);
  // (Not hex: the principal's key id is, and once held "abc" by chance.)
  CHECK(captured.find("no-such-acceptance") == std::string::npos);
}
