#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "achilles/domain/result_document.hpp"
#include "achilles/embedded/keyword_dictionary.hpp"
#include "achilles/query/keyword_fields.hpp"
#include "stored_forms.hpp"

namespace achilles::embedded {

// One keyword field of every row. A row holds one dictionary id in its cell;
// a row with several values holds, instead, a marked index into a side list
// (rare outside techniques, tactics and tags, so single-valued fields stay
// one 32-bit read per row). Lists keep the stored order and duplicates, so
// the stored form can be given back; queries see each distinct value once.
class KeywordColumn {
public:
  static constexpr std::uint32_t kListBit = 0x8000'0000u;

  void append(const std::vector<std::uint32_t>& ids);
  // The column with row i taken from old row order[i].
  KeywordColumn permuted(const std::vector<std::uint32_t>& order) const;

  // Its three arrays, as a snapshot keeps them (column_snapshot.cpp).
  struct Parts {
    std::vector<std::uint32_t> cells, list_offsets, list_ids;
  };
  const std::vector<std::uint32_t>& cells() const { return cells_; }
  const std::vector<std::uint32_t>& list_offsets() const { return list_offsets_; }
  const std::vector<std::uint32_t>& list_ids() const { return list_ids_; }
  static KeywordColumn from(Parts parts);
  std::uint32_t cell(std::size_t row) const { return cells_[row]; }
  bool is_list(std::size_t row) const { return cells_[row] & kListBit; }

  // Every stored id of the row, "" (kMissing) included, in stored order.
  template <typename Each>
  void for_each_stored(std::size_t row, Each&& each) const {
    const std::uint32_t c = cells_[row];
    if (!(c & kListBit)) {
      each(c);
      return;
    }
    const std::uint32_t list = c & ~kListBit;
    for (std::uint32_t k = list_offsets_[list]; k < list_offsets_[list + 1]; ++k) each(list_ids_[k]);
  }

  // Each distinct value of the row once (what a term or a terms aggregation
  // sees); "" is no value.
  template <typename Each>
  void for_each_value(std::size_t row, Each&& each) const {
    const std::uint32_t c = cells_[row];
    if (!(c & kListBit)) {
      if (c != KeywordDictionary::kMissing) each(c);
      return;
    }
    const std::uint32_t list = c & ~kListBit;
    const std::uint32_t begin = list_offsets_[list], end = list_offsets_[list + 1];
    for (std::uint32_t k = begin; k < end; ++k) {
      const std::uint32_t id = list_ids_[k];
      if (id == KeywordDictionary::kMissing) continue;
      bool seen = false;
      for (std::uint32_t j = begin; j < k && !seen; ++j) seen = list_ids_[j] == id;
      if (!seen) each(id);
    }
  }

  bool holds(std::size_t row, std::uint32_t id) const {
    bool found = false;
    for_each_value(row, [&](std::uint32_t v) { found |= v == id; });
    return found;
  }

private:
  std::vector<std::uint32_t> cells_;
  std::vector<std::uint32_t> list_offsets_{0};
  std::vector<std::uint32_t> list_ids_;
};

// Result documents as struct-of-arrays. Row r of every vector is document r.
struct Columns {
  static constexpr std::int64_t kNoTime = INT64_MIN;
  static constexpr std::int64_t kNoCode = INT64_MIN;
  enum Flag : std::uint16_t {
    kHasTestUuid = 1, kHasTestName = 2, kIsProtected = 4, kIsBundleControl = 8,
    kDefenderDetected = 16, kDefenderStageDetected = 32,
    kArchived = 64,  // out of every question: archived, or replaced
    kHasScore = 128,
    kHasProtectedField = 256,  // f0rtika.is_protected is stored (true or false)
    // 512: unused (was the canonical time text flag, now a TimeTextShape)
    // Derived once at append, so no question reads the category per row:
    kCyberHygiene = 1024,      // f0rtika.category holds "cyber-hygiene"
    kAttackSimulation = 2048,  // is_attack_simulation() of the row (§2.8)
    kConclusive = 4096,        // event.ERROR is one of kConclusiveCodes (the defense-score family's CONCL)
    kErrorRateError = 8192,    // event.ERROR is one of kErrorRateCodes (the error rate's errors)
    kUploadConfirmation = 16384,  // event.ERROR is kUploadConfirmationCode (not test activity)
  };
  // Rows are grouped in blocks with the span of their event times (a zone
  // map), so a question with a time window skips the blocks outside it.
  static constexpr std::size_t kBlockRows = 2048;
  struct TimeSpan {
    std::int64_t min = INT64_MAX;  // no timed row: an empty span
    std::int64_t max = INT64_MIN;
    bool untimed = false;  // some row has no event time
  };

  std::array<KeywordDictionary, kKeywordFieldCount> dictionaries;
  std::array<KeywordColumn, kKeywordFieldCount> keywords;
  std::vector<std::int64_t> event_time;
  std::vector<std::int64_t> error_code;
  std::vector<std::uint16_t> flags;
  std::vector<double> catalog_score;
  std::vector<std::uint64_t> forms;       // StoredForms of the row
  std::vector<std::int64_t> storage_key;  // the row's key in durable storage
  // routing.event_time as stored: per row 0 (none), a TimeTextShape that
  // rebuilds it from event_time, or kOddTimeText, the text then kept in
  // odd_time_rows/odd_time_texts (in row order).
  static constexpr std::uint64_t kOddTimeText = 1;
  std::vector<std::uint64_t> time_shape;
  std::vector<std::uint32_t> odd_time_rows;
  std::vector<std::string> odd_time_texts;
  std::vector<TimeSpan> block_times;          // per block of kBlockRows rows
  std::vector<std::uint32_t> rows_by_key;     // every row, in storage-key order
  // Rows [0, time_ordered_rows) are in event-time order (untimed first).
  std::size_t time_ordered_rows = 0;

  std::size_t rows() const { return flags.size(); }
  void append(const ResultDocument& doc, std::int64_t key);
  // Reorders every column so that row i becomes old row order[i].
  void permute(const std::vector<std::uint32_t>& order);
  std::size_t blocks() const { return block_times.size(); }
  void rebuild_block_times();
  // Where row's text is in odd_time_texts (its time_shape is kOddTimeText).
  std::size_t odd_time_index(std::size_t row) const;
  // The row stored under `key`, if any.
  std::optional<std::size_t> row_of_key(std::int64_t key) const;
  ResultDocument document(std::size_t row) const;  // without its id

  const KeywordColumn& column(KeywordField f) const { return keywords[field_index(f)]; }
  std::string_view text_of(KeywordField f, std::uint32_t id) const { return dictionaries[field_index(f)].value(id); }
  bool holds(KeywordField f, std::size_t row, std::uint32_t id) const { return column(f).holds(row, id); }
  // What Elasticsearch's doc['field'].value reads: the smallest value of the
  // row's sorted values (kMissing when it has none).
  std::uint32_t smallest(KeywordField f, std::size_t row) const;
  // The value a sort on the field uses: the smallest ascending, the largest descending.
  std::uint32_t sort_value(KeywordField f, std::size_t row, bool descending) const;
};

}  // namespace achilles::embedded
