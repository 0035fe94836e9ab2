#include "achilles/elasticsearch/elasticsearch_cluster_administration.hpp"

#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "achilles/errors.hpp"

namespace achilles::elasticsearch {

std::vector<ResultIndexSummary> ElasticsearchClusterAdministration::result_indices(const std::string& pattern) const {
  std::vector<ResultIndexSummary> out;
  for (const auto& i : cluster_.indices(pattern)) out.push_back({i.name, i.docs_count, i.store_size, i.health});
  return out;
}

bool ElasticsearchClusterAdministration::create_result_index(const std::string& name) {
  return cluster_.create_index(name, results_index_body());
}

EsConnection connection_under(const AnalyticsSettings& settings, const OutboundPolicy& policy) {
  auto connection = connection_for(settings);
  connection.policy = policy;
  if (auto refused = policy.refusal(connection.base_url)) throw InvalidArgument(*refused);
  return connection;
}

std::unique_ptr<ClusterAdministration> ElasticsearchConnector::connect(const AnalyticsSettings& settings) const {
  auto connection = connection_under(settings, policy_);
  connection.connect_timeout = connect_timeout_;
  connection.timeout = timeout_;
  return std::make_unique<ElasticsearchClusterAdministration>(std::make_shared<HttpTransport>(std::move(connection)));
}

}  // namespace achilles::elasticsearch
