#include "app/backends.hpp"

#include <cstdlib>
#include <stdexcept>

#include "achilles/elasticsearch/elasticsearch_cluster_administration.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/elasticsearch_api_keys.hpp"
#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"
#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/errors.hpp"
#include "achilles/http/outbound_client.hpp"

namespace achilles::server {

std::chrono::milliseconds elasticsearch_timeout() {
  const char* text = std::getenv("ACHILLES_ES_TIMEOUT_MS");
  if (!text || !*text) return std::chrono::seconds(30);
  char* end = nullptr;
  const long ms = std::strtol(text, &end, 10);
  if (*end != '\0' || ms <= 0) throw std::invalid_argument("ACHILLES_ES_TIMEOUT_MS: not a positive number of milliseconds");
  return std::chrono::milliseconds(ms);
}

std::optional<std::string> refused_cluster_url(const std::string& url, const std::vector<IpNetwork>& allowed) {
  return http::OutboundClient(OutboundPolicy(allowed)).refusal(url);
}

elasticsearch::EsConnection guarded_connection(const AnalyticsSettings& settings, const std::vector<IpNetwork>& allowed) {
  return elasticsearch::connection_under(settings, OutboundPolicy(allowed));
}

ResultsBackend backend_for(const AnalyticsSettings& settings, const ResultsBackend& embedded,
                           const std::vector<IpNetwork>& allowed) {
  if (!settings.configured) return embedded;
  ResultsBackend b;
  b.name = "elasticsearch";
  try {
    auto connection = guarded_connection(settings, allowed);
    connection.timeout = elasticsearch_timeout();
    auto transport = std::make_shared<elasticsearch::HttpTransport>(std::move(connection));
    elasticsearch::ResultIndices indices{settings.index_pattern, settings.write_index_prefix, settings.write_index_rollover};
    if (indices.read_pattern.empty()) indices.read_pattern = std::string(kDefaultIndexPattern);
    b.acceptances = std::make_shared<elasticsearch::ElasticsearchRiskAcceptances>(transport);
    b.api_keys = std::make_shared<elasticsearch::ElasticsearchApiKeys>(transport);
    b.defender = std::make_shared<elasticsearch::ElasticsearchDefenderStore>(transport);
    b.cluster = std::make_shared<elasticsearch::ElasticsearchClusterAdministration>(transport);
    auto results = std::make_shared<elasticsearch::ElasticsearchResultsIndex>(std::move(transport), std::move(indices));
    b.index = results;
    b.archive = results;
    b.marks = results;
  } catch (const InvalidArgument& e) {
    b.problem = std::string("Elasticsearch settings cannot be used: ") + e.what();
  }
  return b;
}

}  // namespace achilles::server
