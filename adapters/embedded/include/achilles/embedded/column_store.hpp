#pragma once
#include <array>
#include <cstdint>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "achilles/embedded/keyword_dictionary.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::embedded {

// Result documents as struct-of-arrays: keywords dictionary-encoded, flags
// packed, multi-valued keywords as offset lists. Questions are answered by one
// scan over the rows. Thread-safe: many concurrent readers, one writer.
//
// On its own it is the in-memory ResultsIndex/ResultsSink used by unit tests
// (it then deduplicates by document id); the durable embedded index feeds it
// from SQLite and lets the file do the deduplication.
class ColumnStore final : public ResultsIndex, public ResultsSink {
public:
  enum class Dedup { ById, Trusted };
  explicit ColumnStore(Dedup dedup = Dedup::ById) : dedup_(dedup) {}

  AppendOutcome append(std::span<const ResultDocument> documents) override;
  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;

  std::size_t size() const;

private:
  static constexpr std::size_t kSingleKeywords = 19;  // every KeywordField
  enum Flag : std::uint8_t {
    kHasTestUuid = 1, kHasTestName = 2, kIsProtected = 4, kIsBundleControl = 8,
    kDefenderDetected = 16, kDefenderStageDetected = 32,
  };
  struct MultiColumn {
    std::vector<std::uint32_t> offsets{0};
    std::vector<std::uint32_t> ids;
  };
  class CompiledFilter;

  void append_row(const ResultDocument& doc);
  static bool is_multi(KeywordField f);

  Dedup dedup_;
  mutable std::shared_mutex mutex_;
  std::unordered_set<std::string> ids_;
  std::array<KeywordDictionary, kSingleKeywords> dictionaries_;
  std::array<std::vector<std::uint32_t>, kSingleKeywords> keywords_;  // single-valued fields
  std::array<MultiColumn, kSingleKeywords> multi_;                    // multi-valued fields
  std::vector<std::int64_t> event_time_;                              // kNoTime when missing
  std::vector<std::int64_t> error_code_;                              // kNoCode when missing
  std::vector<std::uint8_t> flags_;
  std::vector<float> catalog_score_;

public:
  static constexpr std::int64_t kNoTime = INT64_MIN;
  static constexpr std::int64_t kNoCode = INT64_MIN;
};

}  // namespace achilles::embedded
