#include "achilles/embedded/embedded_results_index.hpp"

namespace achilles::embedded {

EmbeddedResultsIndex::EmbeddedResultsIndex(const std::filesystem::path& database) : file_(database) {
  file_.changed_elsewhere();  // take the current version as the baseline
  catch_up_mutex_.lock();
  loaded_through_ = file_.read_since(0, [this](auto docs) { store_.append(docs); });
  catch_up_mutex_.unlock();
}

void EmbeddedResultsIndex::catch_up() const {
  std::lock_guard lock(catch_up_mutex_);
  if (!file_.changed_elsewhere()) return;
  loaded_through_ = file_.read_since(loaded_through_, [this](auto docs) { store_.append(docs); });
}

UnitTally EmbeddedResultsIndex::tally(const ResultFilter& filter, ScoringMode mode) const {
  catch_up();
  return store_.tally(filter, mode);
}

AppendOutcome EmbeddedResultsIndex::append(std::span<const ResultDocument> documents) {
  const AppendOutcome outcome = file_.append(documents);
  std::lock_guard lock(catch_up_mutex_);
  loaded_through_ = file_.read_since(loaded_through_, [this](auto docs) { store_.append(docs); });
  return outcome;
}

}  // namespace achilles::embedded
