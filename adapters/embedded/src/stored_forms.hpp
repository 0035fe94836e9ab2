#pragma once
#include <cstdint>

#include "achilles/domain/result_document.hpp"
#include "achilles/query/keyword_fields.hpp"

namespace achilles::embedded {

// The forms live in bits 0..37 of a number stored in every row: a new keyword
// field must not run into the flags above them (and KeywordField's order is
// part of the file format: append, never reorder).
static_assert(2 * kKeywordFieldCount <= 38, "keyword forms overlap the score/protected flags");

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
