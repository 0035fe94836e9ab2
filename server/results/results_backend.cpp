#include "results/results_backend.hpp"

#include <cstdlib>
#include <stdexcept>

#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
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
  auto connection = elasticsearch::connection_for(settings);
  connection.policy = OutboundPolicy(allowed);
  // The URL's own refusals now (scheme, metadata names, a literal address in
  // any spelling); where its name resolves is checked on every connection.
  if (auto refused = connection.policy.refusal(connection.base_url)) throw InvalidArgument(*refused);
  return connection;
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
    if (indices.read_pattern.empty()) indices.read_pattern = "achilles-results-*";
    b.acceptances = std::make_shared<elasticsearch::ElasticsearchRiskAcceptances>(transport);
    b.elasticsearch = std::make_shared<elasticsearch::ElasticsearchResultsIndex>(std::move(transport), std::move(indices));
    b.index = b.elasticsearch;
    b.archive = b.elasticsearch;
  } catch (const InvalidArgument& e) {
    b.problem = std::string("Elasticsearch settings cannot be used: ") + e.what();
  }
  return b;
}

}  // namespace achilles::server
