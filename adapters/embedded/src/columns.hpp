#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "achilles/domain/result_document.hpp"
#include "achilles/embedded/keyword_dictionary.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles::embedded {

constexpr std::size_t kKeywordFields = 19;  // every KeywordField
constexpr std::size_t field_index(KeywordField f) { return static_cast<std::size_t>(f); }
constexpr bool is_multi_valued(KeywordField f) {
  return f == KeywordField::Techniques || f == KeywordField::Tactics || f == KeywordField::Tags;
}

// Result documents as struct-of-arrays. Row r of every vector is document r.
struct Columns {
  static constexpr std::int64_t kNoTime = INT64_MIN;
  static constexpr std::int64_t kNoCode = INT64_MIN;
  enum Flag : std::uint8_t {
    kHasTestUuid = 1, kHasTestName = 2, kIsProtected = 4, kIsBundleControl = 8,
    kDefenderDetected = 16, kDefenderStageDetected = 32, kArchived = 64, kHasScore = 128,
  };
  struct MultiColumn {
    std::vector<std::uint32_t> offsets{0};
    std::vector<std::uint32_t> ids;
  };

  std::array<KeywordDictionary, kKeywordFields> dictionaries;
  std::array<std::vector<std::uint32_t>, kKeywordFields> keywords;  // single-valued fields
  std::array<MultiColumn, kKeywordFields> multi;                    // multi-valued fields
  std::vector<std::int64_t> event_time;
  std::vector<std::int64_t> error_code;
  std::vector<std::uint8_t> flags;
  std::vector<double> catalog_score;
  std::vector<std::int64_t> storage_key;  // the row's key in durable storage

  std::size_t rows() const { return flags.size(); }
  void append(const ResultDocument& doc, std::int64_t key);
  ResultDocument document(std::size_t row) const;  // without its id

  std::uint32_t keyword(KeywordField f, std::size_t row) const { return keywords[field_index(f)][row]; }
  const std::string& text(KeywordField f, std::size_t row) const {
    return dictionaries[field_index(f)].value(keyword(f, row));
  }
};

}  // namespace achilles::embedded
