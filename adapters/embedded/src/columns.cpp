#include "columns.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/query/date_math.hpp"
#include "scan_workers.hpp"
#include "time_text_shape.hpp"
#include "achilles/scoring/scoring_unit.hpp"

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

KeywordColumn KeywordColumn::permuted(const std::vector<std::uint32_t>& order) const {
  KeywordColumn out;
  out.cells_.reserve(cells_.size());
  out.list_ids_.reserve(list_ids_.size());
  out.list_offsets_.reserve(list_offsets_.size());
  for (const std::uint32_t from : order) {
    const std::uint32_t c = cells_[from];
    if (!(c & kListBit)) {
      out.cells_.push_back(c);
      continue;
    }
    const std::uint32_t list = c & ~kListBit;
    out.cells_.push_back(static_cast<std::uint32_t>(out.list_offsets_.size() - 1) | kListBit);
    out.list_ids_.insert(out.list_ids_.end(), list_ids_.begin() + list_offsets_[list], list_ids_.begin() + list_offsets_[list + 1]);
    out.list_offsets_.push_back(static_cast<std::uint32_t>(out.list_ids_.size()));
  }
  return out;
}

KeywordColumn KeywordColumn::from(Parts parts) {
  KeywordColumn out;
  out.cells_ = std::move(parts.cells);
  out.list_offsets_ = std::move(parts.list_offsets);
  out.list_ids_ = std::move(parts.list_ids);
  return out;
}

namespace {
template <typename T>
void permute_vector(std::vector<T>& v, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(v.size());
  for (const std::uint32_t from : order) out.push_back(v[from]);
  v.swap(out);
}

bool holds_value(const Keywords& k, std::string_view value) {
  for (const auto& v : k.values())
    if (v == value) return true;
  return false;
}
}  // namespace

void Columns::permute(const std::vector<std::uint32_t>& order) {
  // The columns are independent: half of them are reordered on a scan worker
  // (at a start with 1M rows this is most of arranging them by time).
  constexpr std::size_t kFirstHalf = kKeywordFieldCount / 2;
  ScanWorkers::shared().both(
      [&] {
        for (std::size_t f = 0; f < kFirstHalf; ++f) keywords[f] = keywords[f].permuted(order);
        std::vector<std::uint32_t> odd_rows;
        std::vector<std::string> odd_texts;
        for (std::uint32_t i = 0; i < order.size(); ++i) {
          if (time_shape[order[i]] != kOddTimeText) continue;
          odd_rows.push_back(i);
          odd_texts.push_back(std::move(odd_time_texts[odd_time_index(order[i])]));
        }
        odd_time_rows.swap(odd_rows);
        odd_time_texts.swap(odd_texts);
        permute_vector(time_shape, order);  // after the odd texts: odd_time_index reads the old shapes
      },
      [&] {
        for (std::size_t f = kFirstHalf; f < kKeywordFieldCount; ++f) keywords[f] = keywords[f].permuted(order);
        permute_vector(event_time, order);
        permute_vector(error_code, order);
        permute_vector(flags, order);
        permute_vector(catalog_score, order);
        permute_vector(forms, order);
        permute_vector(storage_key, order);
      });
  std::vector<std::uint32_t> new_row(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) new_row[order[i]] = i;
  for (auto& row : rows_by_key) row = new_row[row];
  rebuild_block_times();
}

void Columns::rebuild_block_times() {
  block_times.assign((rows() + kBlockRows - 1) / kBlockRows, TimeSpan{});
  for (std::size_t row = 0; row < rows(); ++row) {
    TimeSpan& span = block_times[row / kBlockRows];
    if (event_time[row] == kNoTime) {
      span.untimed = true;
      continue;
    }
    span.min = std::min(span.min, event_time[row]);
    span.max = std::max(span.max, event_time[row]);
  }
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
  const bool cyber_hygiene = holds_value(d.category, kCyberHygieneCategory);
  if (cyber_hygiene) f |= kCyberHygiene;
  if (is_attack_simulation(cyber_hygiene, d.is_bundle_control, d.error_code)) f |= kAttackSimulation;
  if (d.error_code && std::find(kConclusiveCodes.begin(), kConclusiveCodes.end(), *d.error_code) != kConclusiveCodes.end())
    f |= kConclusive;
  if (d.error_code && std::find(kErrorRateCodes.begin(), kErrorRateCodes.end(), *d.error_code) != kErrorRateCodes.end())
    f |= kErrorRateError;
  if (d.error_code == kUploadConfirmationCode) f |= kUploadConfirmation;
  flags.push_back(f);
  const std::int64_t time = event_time.back();
  if (rows() % kBlockRows == 1) block_times.emplace_back();
  if (time == kNoTime) {
    block_times.back().untimed = true;
  } else {
    TimeSpan& span = block_times.back();
    span.min = std::min(span.min, time);
    span.max = std::max(span.max, time);
  }
  // Rows that arrive in time order (as agents send them) stay in order for free.
  if (time_ordered_rows == rows() - 1 && (time_ordered_rows == 0 || event_time[time_ordered_rows - 1] <= time))
    ++time_ordered_rows;
  catalog_score.push_back(d.score.value_or(0.0));
  forms.push_back(StoredForms::of(d));
  storage_key.push_back(key);
  const auto row = static_cast<std::uint32_t>(storage_key.size() - 1);
  if (rows_by_key.empty() || storage_key[rows_by_key.back()] < key) {
    rows_by_key.push_back(row);  // keys grow with appends: the usual case
  } else {
    const auto at = std::lower_bound(rows_by_key.begin(), rows_by_key.end(), key,
                                     [&](std::uint32_t r, std::int64_t k) { return storage_key[r] < k; });
    rows_by_key.insert(at, row);
  }
  std::optional<std::uint64_t> shape;
  if (!d.event_time_text.empty() && d.event_time_ms) shape = TimeTextShape::of(d.event_time_text, *d.event_time_ms);
  if (d.event_time_text.empty()) {
    time_shape.push_back(0);
  } else if (shape) {
    time_shape.push_back(*shape);
  } else {
    time_shape.push_back(kOddTimeText);
    odd_time_rows.push_back(static_cast<std::uint32_t>(rows() - 1));
    odd_time_texts.push_back(d.event_time_text);
  }
}

std::size_t Columns::odd_time_index(std::size_t row) const {
  return static_cast<std::size_t>(std::lower_bound(odd_time_rows.begin(), odd_time_rows.end(), row) - odd_time_rows.begin());
}

std::optional<std::size_t> Columns::row_of_key(std::int64_t key) const {
  const auto at = std::lower_bound(rows_by_key.begin(), rows_by_key.end(), key,
                                   [&](std::uint32_t r, std::int64_t k) { return storage_key[r] < k; });
  if (at == rows_by_key.end() || storage_key[*at] != key) return std::nullopt;
  return *at;
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
  if (time_shape[row] == kOddTimeText) d.event_time_text = odd_time_texts[odd_time_index(row)];
  else if (time_shape[row] != 0) d.event_time_text = TimeTextShape::text(time_shape[row], event_time[row]);
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
