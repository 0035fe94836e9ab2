#pragma once
#include <filesystem>
#include <mutex>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/sqlite_results_file.hpp"

namespace achilles::embedded {

// The default ResultsIndex: a column store loaded from the SQLite file at
// start and brought up to date before each question when another process
// (an `achilles import`) has committed to the file.
class EmbeddedResultsIndex final : public ResultsIndex, public ResultsSink {
public:
  explicit EmbeddedResultsIndex(const std::filesystem::path& database);

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  AppendOutcome append(std::span<const ResultDocument> documents) override;

  std::size_t size() const { return store_.size(); }

private:
  void catch_up() const;

  mutable SqliteResultsFile file_;
  mutable ColumnStore store_{ColumnStore::Dedup::Trusted};
  mutable std::mutex catch_up_mutex_;
  mutable std::int64_t loaded_through_ = 0;
};

}  // namespace achilles::embedded
