#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "achilles/domain/analytics_settings.hpp"

namespace achilles {

// One results index of a cluster, as GET /indices lists it.
struct ResultIndexSummary {
  std::string name;
  std::int64_t docs_count = 0;
  std::int64_t store_size = 0;  // bytes
  std::string health;           // green / yellow / red
};

// Administration of the cluster that holds the results (analytics-spec
// §3.8-§3.9.4). Adapter: Elasticsearch. Failures are the domain's errors:
// BackendUnavailable (unreachable, 5xx), BackendRejected (4xx).
class ClusterAdministration {
public:
  virtual ~ClusterAdministration() = default;
  virtual std::string version() const = 0;  // the cluster's version: it answers
  // Indices matching `pattern`, sorted by name; none when nothing matches.
  virtual std::vector<ResultIndexSummary> result_indices(const std::string& pattern) const = 0;
  // Creates `name` with the canonical results mapping; false when it exists.
  virtual bool create_result_index(const std::string& name) = 0;
};

// Reaches the cluster that settings describe, through the outbound policy.
// Throws InvalidArgument when the settings cannot describe one (an unknown
// connection type, a cloud id that does not decode, a refused URL).
class ClusterConnector {
public:
  virtual ~ClusterConnector() = default;
  virtual std::unique_ptr<ClusterAdministration> connect(const AnalyticsSettings& settings) const = 0;
};

}  // namespace achilles
