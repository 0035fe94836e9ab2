// The cluster connection goes through the outbound client: its policy is
// checked on every connection, so a name that resolves (or later resolves)
// somewhere refused is never connected to, and the failure is a 503 reason.
#include <catch2/catch.hpp>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/errors.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "app/backends.hpp"
#include "support/loopback_policy.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;

TEST_CASE("a cluster name that resolves somewhere refused is never connected to", "[es][connection][security]") {
  FakeElasticsearch cluster;
  EsConnection c;
  c.base_url = "http://localhost:" + std::to_string(cluster.port());  // a name: only DNS says it is loopback
  EsCluster refused(std::make_shared<HttpTransport>(c));              // the default policy allows no loopback
  try {
    refused.version();
    FAIL("no exception");
  } catch (const BackendUnavailable& e) {
    CHECK(std::string(e.what()).find("may not be contacted") != std::string::npos);
  }
  CHECK(cluster.requests().empty());

  c.policy = achilles::testing::loopback_policy();
  CHECK(EsCluster(std::make_shared<HttpTransport>(c)).version() == "8.17.0");
}

TEST_CASE("a guarded connection refuses a literal address at once, and keeps the policy for every later request",
          "[es][connection][security]") {
  FakeElasticsearch cluster;
  AnalyticsSettings s;
  s.configured = true;
  s.connection_type = "direct";
  s.node = "http://localhost:" + std::to_string(cluster.port());
  const auto loopback = std::vector<IpNetwork>{*IpNetwork::parse("127.0.0.0/8"), *IpNetwork::parse("::1/128")};
  // A name: the save-time check resolves it; a connection built anyway is refused when it connects.
  CHECK(server::refused_cluster_url(*s.node, {}).has_value());
  CHECK_THROWS_AS(EsCluster(std::make_shared<HttpTransport>(server::guarded_connection(s, {}))).version(), BackendUnavailable);
  for (const char* hidden : {"http://0177.0.0.1:", "http://0x7f.1:", "http://2130706433:", "http://[::ffff:127.0.0.1]:"}) {
    s.node = hidden + std::to_string(cluster.port());
    INFO(*s.node);
    CHECK_THROWS_AS(server::guarded_connection(s, {}), InvalidArgument);
  }
  CHECK(cluster.requests().empty());
  s.node = "http://localhost:" + std::to_string(cluster.port());
  const auto connection = server::guarded_connection(s, loopback);
  CHECK(EsCluster(std::make_shared<HttpTransport>(connection)).version() == "8.17.0");
}

TEST_CASE("error messages show the cluster URL without its credentials", "[es][connection][security]") {
  EsConnection c;
  c.base_url = "http://elastic:s3cret@127.0.0.1:9";
  try {
    EsCluster(std::make_shared<HttpTransport>(c)).version();
    FAIL("no exception");
  } catch (const BackendUnavailable& e) {
    CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
    CHECK(std::string(e.what()).find("http://127.0.0.1:9") != std::string::npos);
  }
}
