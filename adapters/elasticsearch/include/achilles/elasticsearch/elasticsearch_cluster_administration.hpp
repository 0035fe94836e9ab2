#pragma once
#include <memory>

#include <chrono>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/elasticsearch/connection.hpp"
#include "achilles/ports/cluster_administration.hpp"
#include "achilles/security/outbound_url.hpp"

namespace achilles::elasticsearch {

// ClusterAdministration on an Elasticsearch cluster: GET /, _cat/indices,
// PUT /<index> with the canonical results mapping.
class ElasticsearchClusterAdministration final : public ClusterAdministration {
public:
  explicit ElasticsearchClusterAdministration(std::shared_ptr<EsTransport> transport) : cluster_(std::move(transport)) {}
  std::string version() const override { return cluster_.version(); }
  std::vector<ResultIndexSummary> result_indices(const std::string& pattern) const override;
  bool create_result_index(const std::string& name) override;

private:
  EsCluster cluster_;
};

// The connection of `settings` (connection_for) with `policy` checked on its
// every connection; the URL's own refusals (scheme, metadata names, a literal
// address in any spelling) are an InvalidArgument at once, where its name
// resolves is checked when it connects.
EsConnection connection_under(const AnalyticsSettings& settings, const OutboundPolicy& policy);

// ClusterConnector for Elasticsearch settings, under the operator's policy.
class ElasticsearchConnector final : public ClusterConnector {
public:
  ElasticsearchConnector(OutboundPolicy policy, std::chrono::milliseconds connect_timeout,
                         std::chrono::milliseconds timeout)
      : policy_(std::move(policy)), connect_timeout_(connect_timeout), timeout_(timeout) {}
  std::unique_ptr<ClusterAdministration> connect(const AnalyticsSettings& settings) const override;

private:
  OutboundPolicy policy_;
  std::chrono::milliseconds connect_timeout_, timeout_;
};

}  // namespace achilles::elasticsearch
