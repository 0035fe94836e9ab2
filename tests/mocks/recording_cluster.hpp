#pragma once
// A ClusterAdministration and ClusterConnector for use-case tests: canned
// answers, and a record of what was asked.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "achilles/errors.hpp"
#include "achilles/ports/cluster_administration.hpp"

namespace achilles::mocks {

class RecordingCluster final : public ClusterAdministration {
public:
  std::string version_answer = "8.17.0";
  std::vector<ResultIndexSummary> indices;
  mutable std::vector<std::string> asked_patterns;
  std::vector<std::string> created;

  std::string version() const override { return version_answer; }
  std::vector<ResultIndexSummary> result_indices(const std::string& pattern) const override {
    asked_patterns.push_back(pattern);
    return indices;
  }
  bool create_result_index(const std::string& name) override {
    for (const auto& i : indices)
      if (i.name == name) return false;
    created.push_back(name);
    indices.push_back({name, 0, 0, "green"});
    return true;
  }
};

// Connects to `cluster` when the settings name `reachable_node`; otherwise
// fails as an unreachable cluster does.
class RecordingConnector final : public ClusterConnector {
public:
  explicit RecordingConnector(std::string reachable_node) : reachable_node_(std::move(reachable_node)) {}
  mutable std::vector<AnalyticsSettings> asked;

  std::unique_ptr<ClusterAdministration> connect(const AnalyticsSettings& settings) const override {
    asked.push_back(settings);
    if (settings.connection_type != "direct") throw InvalidArgument("Invalid Elasticsearch configuration");
    if (settings.node.value_or("") != reachable_node_)
      throw BackendUnavailable("Elasticsearch is unreachable at " + settings.node.value_or("") + ": Connection refused");
    return std::make_unique<RecordingCluster>();
  }

private:
  std::string reachable_node_;
};

}  // namespace achilles::mocks
