#pragma once
#include <cstdint>

#include "achilles/domain/result_document.hpp"
#include "achilles/query/keyword_fields.hpp"

namespace achilles::embedded {

// How a document stored the fields whose form is not in their values: two
// bits per keyword field (Keywords::Form), then `"score": null` and an
// absent is_protected. The column store keeps it per row, and the embedded
// file stores the same number.
struct StoredForms {
  static constexpr std::uint64_t kScoreNull = 1ull << 38;
  static constexpr std::uint64_t kProtectedAbsent = 1ull << 39;
  static std::uint64_t of(const ResultDocument& doc);
  static Keywords::Form form(std::uint64_t forms, KeywordField f) {
    return static_cast<Keywords::Form>((forms >> (2 * field_index(f))) & 3u);
  }
};

}  // namespace achilles::embedded
