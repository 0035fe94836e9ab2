#include "achilles/embedded/embedded_store_administration.hpp"

#include <system_error>

#include "achilles/errors.hpp"

namespace achilles::embedded {

EmbeddedStoreAdministration::EmbeddedStoreAdministration(const ResultsIndex& results,
                                                         std::vector<std::filesystem::path> files)
    : results_(results), files_(std::move(files)) {}

std::int64_t EmbeddedStoreAdministration::stored_documents() const {
  ResultFilter everything;
  everything.test_data_only = false;
  everything.requires_event_time = false;
  PageQuestion count_only;
  count_only.limit = 0;
  return results_.page(everything, count_only).total;
}

std::int64_t EmbeddedStoreAdministration::bytes_on_disk() const {
  std::int64_t total = 0;
  for (const auto& file : files_) {
    std::error_code missing;  // a WAL or snapshot not written yet counts nothing
    const auto bytes = std::filesystem::file_size(file, missing);
    if (!missing) total += static_cast<std::int64_t>(bytes);
  }
  return total;
}

std::string EmbeddedStoreAdministration::version() const {
  stored_documents();  // the store answers (and has caught up with imports)
  return kName;
}

std::vector<ResultIndexSummary> EmbeddedStoreAdministration::result_indices(const std::string&) const {
  ResultIndexSummary summary;
  summary.name = kName;
  summary.docs_count = stored_documents();
  summary.store_size = bytes_on_disk();
  summary.health = "green";
  return {summary};
}

bool EmbeddedStoreAdministration::create_result_index(const std::string&) {
  throw InvalidArgument(
      "The embedded store needs no index: every result is kept in results.db. Configure Elasticsearch in Analytics "
      "Settings to manage indices.");
}

}  // namespace achilles::embedded
