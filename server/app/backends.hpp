#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/elasticsearch/connection.hpp"
#include "achilles/embedded/embedded_store_administration.hpp"
#include "achilles/security/outbound_url.hpp"
#include "results/live_results.hpp"

// Building backends from settings is composition: only server/app and the
// tests include this header, never a route.

namespace achilles::server {

// The reason a cluster URL may not be contacted (cloud metadata, link-local,
// private ranges outside `allowed`), resolving its host name; nullopt when it may.
std::optional<std::string> refused_cluster_url(const std::string& url, const std::vector<IpNetwork>& allowed);

// How long one Elasticsearch request may take: ACHILLES_ES_TIMEOUT_MS, else 30 s.
std::chrono::milliseconds elasticsearch_timeout();

// The embedded store and its acceptances as a backend (both are owned
// elsewhere and outlive it). `files`: what the store keeps on disk, which
// the index listing sums as its size.
template <typename Store>
ResultsBackend embedded_backend(Store& store, RiskAcceptances& acceptances, ApiKeys* api_keys = nullptr,
                                DefenderStore* defender = nullptr, std::vector<std::filesystem::path> files = {}) {
  ResultsBackend b;
  b.cluster = std::make_shared<embedded::EmbeddedStoreAdministration>(store, std::move(files));
  if (defender) b.defender = std::shared_ptr<DefenderStore>(defender, [](DefenderStore*) {});
  if (api_keys) b.api_keys = std::shared_ptr<ApiKeys>(api_keys, [](ApiKeys*) {});
  b.name = "embedded";
  b.index = std::shared_ptr<const ResultsIndex>(&store, [](const ResultsIndex*) {});
  b.archive = std::shared_ptr<ResultsArchive>(&store, [](ResultsArchive*) {});
  if constexpr (std::is_base_of_v<DetectionMarks, Store>) b.marks = std::shared_ptr<DetectionMarks>(&store, [](DetectionMarks*) {});
  b.acceptances = std::shared_ptr<RiskAcceptances>(&acceptances, [](RiskAcceptances*) {});
  return b;
}

// The backend the settings ask for: Elasticsearch when configured (D7), else
// `embedded`. Configured but unusable settings (no node, a refused URL) give
// a backend whose every question fails with the reason.
ResultsBackend backend_for(const AnalyticsSettings& settings, const ResultsBackend& embedded,
                           const std::vector<IpNetwork>& allowed);

// The connection of `settings` after the URL-level outbound guard
// (InvalidArgument with the reason; no DNS), with the policy its every
// connection is checked against, so no DNS answer, then or later, can take
// it somewhere refused.
elasticsearch::EsConnection guarded_connection(const AnalyticsSettings& settings, const std::vector<IpNetwork>& allowed);

}  // namespace achilles::server
