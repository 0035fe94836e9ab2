// How the settings become a connection (analytics-spec §3.0 "Connection"),
// how Elasticsearch's failures read (§4.2), and which indices the adapter
// names (§1.1).
#include <catch2/catch.hpp>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/elasticsearch/connection.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/errors.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;

namespace {
AnalyticsSettings direct(std::string node) {
  AnalyticsSettings s;
  s.connection_type = "direct";
  s.node = std::move(node);
  s.configured = true;
  return s;
}
}  // namespace

TEST_CASE("a cloud id decodes to the cluster's https URL with its port", "[es][connection]") {
  // "name:" + base64("us-east-1.aws.found.io:443$abc123$kib456")
  CHECK(cloud_id_url("name:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbzo0NDMkYWJjMTIzJGtpYjQ1Ng==") ==
        "https://abc123.us-east-1.aws.found.io:443");
  // base64("eu-west-1.aws.found.io$es9$kb9") without a port
  CHECK(cloud_id_url("x:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRlczkka2I5") == "https://es9.eu-west-1.aws.found.io");
  CHECK_THROWS_AS(cloud_id_url("x:%%%"), InvalidArgument);
  CHECK_THROWS_AS(cloud_id_url("x:bm9kb2xsYXI="), InvalidArgument);  // "nodollar"
}

TEST_CASE("cloud mode sends the API key and ignores TLS options", "[es][connection]") {
  AnalyticsSettings s;
  s.connection_type = "cloud";
  s.cloud_id = "x:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRlczkka2I5";
  s.api_key = "k3y";
  s.tls_insecure_skip_verify = true;
  s.ca_cert = "PEM";
  const auto c = connection_for(s);
  CHECK(c.base_url == "https://es9.eu-west-1.aws.found.io");
  CHECK(c.authorization == "ApiKey k3y");
  CHECK_FALSE(c.skip_verify);
  CHECK(c.ca_cert_pem.empty());
}

TEST_CASE("direct mode prefers the API key and falls back to basic auth", "[es][connection]") {
  auto s = direct("https://es.internal:9200/");
  CHECK(connection_for(s).base_url == "https://es.internal:9200");
  CHECK(connection_for(s).authorization.empty());
  s.username = "elastic";
  s.password = "changeme";
  CHECK(connection_for(s).authorization == "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
  s.api_key = "abc";
  CHECK(connection_for(s).authorization == "ApiKey abc");
}

TEST_CASE("direct mode trusts a custom CA only when it is not blank and may skip verification", "[es][connection]") {
  auto s = direct("https://es.internal:9200");
  s.ca_cert = "  \n";
  CHECK(connection_for(s).ca_cert_pem.empty());
  s.ca_cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  CHECK(connection_for(s).ca_cert_pem == s.ca_cert);
  s.tls_insecure_skip_verify = true;
  CHECK(connection_for(s).skip_verify);
}

TEST_CASE("settings with neither a cloud id nor a node cannot connect", "[es][connection]") {
  AnalyticsSettings s;
  s.connection_type = "cloud";
  s.configured = true;
  CHECK_THROWS_WITH(connection_for(s), "Invalid Elasticsearch configuration");
  s.connection_type = "direct";
  s.node = "";
  CHECK_THROWS_WITH(connection_for(s), "Invalid Elasticsearch configuration");
}

TEST_CASE("Elasticsearch failures read as the original's error text", "[es][errors]") {
  CHECK(es_error_text(R"({"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"The supplied interval [2d] could not be parsed as a calendar interval."}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400})") ==
        "search_phase_execution_exception\n\tRoot causes:\n\t\tillegal_argument_exception: The supplied interval [2d] "
        "could not be parsed as a calendar interval.");
  CHECK(es_error_text(R"({"error":{"type":"a","caused_by":{"type":"b","reason":"why"}}})") == "a\n\tCaused by:\n\t\tb: why");
  // Anything but Elasticsearch's own error is never passed on.
  CHECK(es_error_text(R"({"found":false})") == "Response Error");
  CHECK(es_error_text("") == "Response Error");
  CHECK(es_error_text("Bad Gateway") == "Response Error");
  CHECK(es_error_text("<html><body><script>alert(1)</script></body></html>") == "Response Error");
  const std::string long_reason(5000, 'x');
  const auto cut = es_error_text(R"({"error":{"type":"t","caused_by":{"type":"c","reason":")" + long_reason + R"("}}})");
  CHECK(cut.size() < 400);
  CHECK(cut.ends_with("…"));
}

TEST_CASE("index names: the archive never matches the read pattern and writes roll over by event time", "[es][indices]") {
  CHECK(archive_index_for("achilles-results-*") == "archived-achilles-results");
  CHECK(archive_index_for("f0rtika-*") == "archived-f0rtika");
  CHECK(archive_index_for("") == "archived-achilles-results");
  const std::int64_t jan20 = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z
  CHECK(write_index_for({"achilles-results-*", "achilles-results-", "none"}, jan20) == "achilles-results-");
  CHECK(write_index_for({"achilles-results-*", "achilles-results-", "daily"}, jan20) == "achilles-results-2025.01.20");
  CHECK(write_index_for({"achilles-results-*", "achilles-results-", "monthly"}, jan20) == "achilles-results-2025.01");
  CHECK(write_index_for({"achilles-results-*", "r-", "daily"}, std::nullopt) == "r-");
}

TEST_CASE("index patterns cannot change the request path", "[es][indices]") {
  CHECK(index_segment("achilles-results-*,f0rtika-*") == "achilles-results-*,f0rtika-*");
  CHECK(index_segment("a/../_cluster?x=1 #") == "a%2F..%2F_cluster%3Fx%3D1%20%23");
}
