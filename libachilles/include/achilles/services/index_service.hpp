#pragma once
#include <string>
#include <vector>

#include "achilles/ports/cluster_administration.hpp"

namespace achilles {

// Whether an index was created, in the original's words.
struct IndexCreation {
  bool created = false;
  std::string message;  // the original's wording
};

// Whether candidate settings reach a cluster: its version, or the reason.
struct ConnectionTest {
  bool success = false;
  std::string version;  // when success
  std::string error;    // otherwise, the reason
};

// Index management and the connection test (analytics-spec §3.8, §3.9.4).
class IndexService {
public:
  IndexService(ClusterAdministration& cluster, const ClusterConnector& connector) : cluster_(cluster), connector_(connector) {}

  // The original lists its default pattern when none is given, not the configured one.
  std::vector<ResultIndexSummary> list(const std::string& pattern) const;
  // `name`: lowercase letters, digits and hyphens, not starting with a hyphen
  // (ValidationFailed on index_name otherwise).
  IndexCreation create(const std::string& name);
  // Connects with `candidate` and asks its version. A failure to connect is
  // an answer (success false), as in the original.
  ConnectionTest test(const AnalyticsSettings& candidate) const;

private:
  ClusterAdministration& cluster_;
  const ClusterConnector& connector_;
};

}  // namespace achilles
