#pragma once
#include <array>
#include <cstddef>
#include <string_view>

#include "achilles/domain/result_document.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles {

inline constexpr std::size_t kKeywordFieldCount = 19;  // every KeywordField
constexpr std::size_t field_index(KeywordField f) { return static_cast<std::size_t>(f); }
constexpr KeywordField keyword_field_at(std::size_t i) { return static_cast<KeywordField>(i); }

// The field's path in `_source` and in the mapping (analytics-spec §1.2),
// e.g. "routing.hostname".
std::string_view source_path(KeywordField field);

// The document's stored values of a keyword field.
const Keywords& keywords_of(const ResultDocument& doc, KeywordField field);
Keywords& keywords_of(ResultDocument& doc, KeywordField field);

}  // namespace achilles
