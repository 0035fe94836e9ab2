#include <catch2/catch.hpp>

#include "achilles/errors.hpp"
#include "achilles/services/index_service.hpp"
#include "mocks/recording_cluster.hpp"

using namespace achilles;

TEST_CASE("indices are listed with the default pattern when none is given", "[indices]") {
  mocks::RecordingCluster cluster;
  mocks::RecordingConnector connector("http://es:9200");
  IndexService service(cluster, connector);
  service.list("");
  service.list("f0rtika-*");
  CHECK(cluster.asked_patterns == std::vector<std::string>{"achilles-results-*", "f0rtika-*"});
}

TEST_CASE("index names are checked before the cluster is asked, an existing index is not an error", "[indices]") {
  mocks::RecordingCluster cluster;
  mocks::RecordingConnector connector("http://es:9200");
  IndexService service(cluster, connector);
  for (const char* bad : {"", "Upper", "-leading", "under_score", "dot.ted", "star*"}) {
    INFO(bad);
    CHECK_THROWS_AS(service.create(bad), ValidationFailed);
  }
  CHECK(cluster.created.empty());
  const auto first = service.create("achilles-results-2026");
  CHECK(first.created);
  CHECK(first.message == "Index \"achilles-results-2026\" created successfully");
  const auto again = service.create("achilles-results-2026");
  CHECK_FALSE(again.created);
  CHECK(again.message == "Index \"achilles-results-2026\" already exists");
}

TEST_CASE("a connection test answers the version, or why it could not connect", "[indices]") {
  mocks::RecordingCluster cluster;
  mocks::RecordingConnector connector("http://es:9200");
  IndexService service(cluster, connector);
  AnalyticsSettings s;
  s.connection_type = "direct";
  s.node = "http://es:9200";
  const auto ok = service.test(s);
  CHECK(ok.success);
  CHECK(ok.version == "8.17.0");
  s.node = "http://elsewhere:9200";
  const auto down = service.test(s);
  CHECK_FALSE(down.success);
  CHECK(down.error.starts_with("Elasticsearch is unreachable"));
  s.connection_type = "cloud";
  CHECK(service.test(s).error == "Invalid Elasticsearch configuration");
  CHECK(connector.asked.size() == 3);
}
