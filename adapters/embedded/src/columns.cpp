#include "columns.hpp"

#include "achilles/query/date_math.hpp"

namespace achilles::embedded {

void KeywordColumn::append(const std::vector<std::uint32_t>& ids) {
  // [""] is kept as a list: a plain kMissing cell under the array form reads as [].
  const bool lone_empty = ids.size() == 1 && ids.front() == KeywordDictionary::kMissing;
  if (ids.empty() || (ids.size() == 1 && !lone_empty)) {
    cells_.push_back(ids.empty() ? KeywordDictionary::kMissing : ids.front());
    return;
  }
  cells_.push_back(static_cast<std::uint32_t>(list_offsets_.size() - 1) | kListBit);
  list_ids_.insert(list_ids_.end(), ids.begin(), ids.end());
  list_offsets_.push_back(static_cast<std::uint32_t>(list_ids_.size()));
}

void Columns::append(const ResultDocument& d, std::int64_t key) {
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < kKeywordFieldCount; ++i) {
    ids.clear();
    for (const auto& v : keywords_of(d, keyword_field_at(i)).values()) ids.push_back(dictionaries[i].intern(v));
    keywords[i].append(ids);
  }
  event_time.push_back(d.event_time_ms.value_or(kNoTime));
  error_code.push_back(d.error_code.value_or(kNoCode));
  std::uint16_t f = 0;
  if (!d.test_uuid.empty()) f |= kHasTestUuid;
  if (!d.test_name.empty()) f |= kHasTestName;
  if (d.is_protected) f |= kHasProtectedField;
  if (d.protected_result()) f |= kIsProtected;
  if (d.is_bundle_control) f |= kIsBundleControl;
  if (d.defender_detected) f |= kDefenderDetected;
  if (d.defender_stage_detected) f |= kDefenderStageDetected;
  if (d.score) f |= kHasScore;
  flags.push_back(f);
  catalog_score.push_back(d.score.value_or(0.0));
  forms.push_back(StoredForms::of(d));
  storage_key.push_back(key);
  if (!d.event_time_text.empty()) {
    if (d.event_time_ms && d.event_time_text == format_iso_millis(*d.event_time_ms)) flags.back() |= kCanonicalTimeText;
    else time_text_bytes += d.event_time_text;
  }
  time_text_end.push_back(static_cast<std::uint32_t>(time_text_bytes.size()));
}

ResultDocument Columns::document(std::size_t row) const {
  ResultDocument d;
  const std::uint16_t f = flags[row];
  const std::uint64_t stored_forms = forms[row];
  for (std::size_t i = 0; i < kKeywordFieldCount; ++i) {
    const auto field = keyword_field_at(i);
    std::vector<std::string> values;
    keywords[i].for_each_stored(row, [&](std::uint32_t id) { values.push_back(dictionaries[i].value(id)); });
    Keywords& out = keywords_of(d, field);
    switch (StoredForms::form(stored_forms, field)) {
      case Keywords::Form::Absent: break;
      case Keywords::Form::Null: out = Keywords::null(); break;
      case Keywords::Form::One: out = Keywords(values.empty() ? std::string() : std::move(values.front())); break;
      case Keywords::Form::Many:
        if (!keywords[i].is_list(row) && keywords[i].cell(row) == KeywordDictionary::kMissing) values.clear();  // []
        out = Keywords(std::move(values));
        break;
    }
  }
  if (event_time[row] != kNoTime) d.event_time_ms = event_time[row];
  const std::uint32_t text_begin = row ? time_text_end[row - 1] : 0;
  d.event_time_text = time_text_bytes.substr(text_begin, time_text_end[row] - text_begin);
  if (f & kCanonicalTimeText) d.event_time_text = format_iso_millis(event_time[row]);
  if (error_code[row] != kNoCode) d.error_code = error_code[row];
  if (f & kHasProtectedField) d.is_protected = (f & kIsProtected) != 0;
  d.is_bundle_control = f & kIsBundleControl;
  d.defender_detected = f & kDefenderDetected;
  d.defender_stage_detected = f & kDefenderStageDetected;
  if (f & kHasScore) d.score = catalog_score[row];
  d.score_is_null = stored_forms & StoredForms::kScoreNull;
  return d;
}

std::uint32_t Columns::smallest(KeywordField f, std::size_t row) const {
  return sort_value(f, row, false);
}

std::uint32_t Columns::sort_value(KeywordField f, std::size_t row, bool descending) const {
  const auto& column = keywords[field_index(f)];
  if (!column.is_list(row)) return column.cell(row);
  const auto& dict = dictionaries[field_index(f)];
  std::uint32_t best = KeywordDictionary::kMissing;
  column.for_each_value(row, [&](std::uint32_t id) {
    if (best == KeywordDictionary::kMissing || (descending ? dict.value(id) > dict.value(best) : dict.value(id) < dict.value(best)))
      best = id;
  });
  return best;
}

}  // namespace achilles::embedded
