#include "stored_forms.hpp"

namespace achilles::embedded {

std::uint64_t StoredForms::of(const ResultDocument& d) {
  std::uint64_t forms = 0;
  for (std::size_t i = 0; i < kKeywordFieldCount; ++i)
    forms |= static_cast<std::uint64_t>(keywords_of(d, keyword_field_at(i)).form()) << (2 * i);
  if (d.score_is_null && !d.score) forms |= kScoreNull;
  if (!d.is_protected) forms |= kProtectedAbsent;
  return forms;
}

}  // namespace achilles::embedded
