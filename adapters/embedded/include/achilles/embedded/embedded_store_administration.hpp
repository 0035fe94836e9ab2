#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "achilles/ports/cluster_administration.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::embedded {

// The embedded store through the port the index pages use, so that
// GET /api/analytics/indices describes it instead of refusing: one entry,
// named "embedded", with its stored documents (archived ones left out, as
// the analytics see them) and its size on disk. Creating an index is refused
// with a clear reason: the embedded store keeps every result in one file.
class EmbeddedStoreAdministration final : public ClusterAdministration {
public:
  static constexpr const char* kName = "embedded";

  // `files`: what the store keeps on disk (results.db, its WAL, its snapshot);
  // none for a store held in memory only.
  EmbeddedStoreAdministration(const ResultsIndex& results, std::vector<std::filesystem::path> files);

  // "embedded", once the store has answered a question.
  std::string version() const override;
  // The one entry, whatever the pattern: the dashboard's pattern names
  // Elasticsearch indices, which the embedded store does not have.
  std::vector<ResultIndexSummary> result_indices(const std::string& pattern) const override;
  // InvalidArgument: there is nothing to create.
  bool create_result_index(const std::string& name) override;

  // Result documents stored (archived ones left out): a count over the store.
  std::int64_t stored_documents() const;
  // Bytes of the store's files on disk: file sizes only, no count.
  std::int64_t bytes_on_disk() const;

private:

  const ResultsIndex& results_;
  std::vector<std::filesystem::path> files_;
};

}  // namespace achilles::embedded
