// DNS rebinding: the cluster's host name is checked by the outbound guard and
// then reached only at the addresses that were checked, re-checked at most
// once a minute.
#include <catch2/catch.hpp>

#include <atomic>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/elasticsearch/curl_transport.hpp"
#include "achilles/errors.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "results/results_backend.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;

TEST_CASE("requests go to the pinned addresses, whatever the name would resolve to", "[es][connection][security]") {
  FakeElasticsearch cluster;
  const std::string port = std::to_string(cluster.port());
  std::atomic<int> pins{0};
  EsConnection c;
  c.base_url = "http://cluster.invalid:" + port;  // .invalid never resolves (RFC 6761)
  c.address_pin = [&] {
    ++pins;
    return "cluster.invalid:" + port + ":127.0.0.1";
  };
  EsCluster es(std::make_shared<CurlTransport>(c));
  CHECK(es.version() == "8.17.0");
  CHECK(es.version() == "8.17.0");
  CHECK(pins == 1);  // checked again only after a minute
}

TEST_CASE("a name that now resolves somewhere refused stops the requests with 503", "[es][connection][security]") {
  EsConnection c;
  c.base_url = "http://cluster.invalid:9200";
  c.address_pin = []() -> std::string { throw InvalidArgument("cluster.invalid resolves to 169.254.169.254 (link-local)"); };
  EsCluster es(std::make_shared<CurlTransport>(c));
  try {
    es.version();
    FAIL("no exception");
  } catch (const BackendUnavailable& e) {
    CHECK(std::string(e.what()).find("may not be contacted") != std::string::npos);
    CHECK(std::string(e.what()).find("link-local") != std::string::npos);
  }
}

TEST_CASE("a guarded connection pins the addresses the guard checked", "[es][connection][security]") {
  FakeElasticsearch cluster;
  AnalyticsSettings s;
  s.configured = true;
  s.connection_type = "direct";
  s.node = "http://localhost:" + std::to_string(cluster.port());
  const auto loopback = std::vector<IpNetwork>{*IpNetwork::parse("127.0.0.0/8"), *IpNetwork::parse("::1/128")};
  const auto connection = server::guarded_connection(s, loopback);
  REQUIRE(connection.address_pin);
  const std::string pin = connection.address_pin();
  CHECK(pin.rfind("localhost:" + std::to_string(cluster.port()) + ":", 0) == 0);
  CHECK((pin.find("127.0.0.1") != std::string::npos || pin.find("[::1]") != std::string::npos));
  CHECK(EsCluster(std::make_shared<CurlTransport>(connection)).version() == "8.17.0");

  // Without loopback allowed the same name is refused before any request.
  CHECK_THROWS_AS(server::guarded_connection(s, {}), InvalidArgument);
  // An address in the URL needs no pin: there is nothing to resolve.
  s.node = "http://127.0.0.1:" + std::to_string(cluster.port());
  CHECK(server::guarded_connection(s, loopback).address_pin() == "");
}
