#include "compiled_filter.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/scoring/scoring_unit.hpp"

namespace achilles::embedded {
namespace {
std::optional<std::uint32_t> known(const KeywordDictionary& dict, const std::string& value) {
  auto id = dict.find(value);
  if (!id || *id == KeywordDictionary::kMissing) return std::nullopt;  // missing never equals a value
  return id;
}
}  // namespace

CompiledFilter::CompiledFilter(const Columns& columns, const ResultFilter& f)
    : c_(columns), f_(f), flags_(columns.flags.data()), time_(columns.event_time.data()), code_(columns.error_code.data()) {
  if (f.test_data_only) required_flags_ = Columns::kHasTestUuid | Columns::kHasTestName;
  if (f.attack_simulation_only) required_flags_ |= Columns::kAttackSimulation;
  check_time_ = f.requires_event_time;
  if (f.from_ms) from_ = *f.from_ms;
  if (f.to_ms) to_ = *f.to_ms;
  auto is = [](const std::vector<std::int64_t>& codes, const auto& set) {
    return std::is_permutation(codes.begin(), codes.end(), set.begin(), set.end());
  };
  for (const auto& clause : f.exit_codes) {
    // The clauses the defense score and the error rate ask are flags of the
    // row: no code is read (the code column is 8 bytes a row, the flags 2).
    if (!clause.negated && is(clause.codes, kConclusiveCodes)) {
      required_flags_ |= Columns::kConclusive;
      continue;
    }
    if (!clause.negated && is(clause.codes, kErrorRateCodes)) {
      required_flags_ |= Columns::kErrorRateError;
      continue;
    }
    if (clause.negated && clause.codes == std::vector<std::int64_t>{kUploadConfirmationCode}) {
      forbidden_flags_ |= Columns::kUploadConfirmation;
      continue;
    }
    CodeTest test{clause.codes, clause.negated, std::vector<std::uint8_t>(kCodeTableSize, 0)};
    for (std::int64_t code : clause.codes)
      if (code >= 0 && code < kCodeTableSize) test.listed[static_cast<std::size_t>(code)] = 1;
    code_tests_.push_back(std::move(test));
  }
  // Every clause folded into one answer per code: a row costs one lookup,
  // however many clauses (the error rate asks a set and "not an upload").
  if (!code_tests_.empty()) {
    codes_passing_.assign(kCodeTableSize, 1);
    for (std::int64_t code = 0; code < kCodeTableSize; ++code)
      for (const auto& clause : code_tests_)
        if (clause.holds(code) == clause.negated) codes_passing_[static_cast<std::size_t>(code)] = 0;
  }
  for (const auto& clause : f.keywords) {
    KeywordTest test;
    for (KeywordField field : clause.fields) {
      const auto& dict = c_.dictionaries[field_index(field)];
      std::vector<std::uint8_t> accepted(dict.size(), 0);
      bool any = false;
      for (const auto& v : clause.values)
        if (auto id = known(dict, v)) accepted[*id] = any = true;
      if (any) test.fields.push_back({field, std::move(accepted)});
    }
    if (test.fields.empty()) {
      matches_nothing_ = true;
      return;
    }
    keyword_tests_.push_back(std::move(test));
  }
  for (const auto& ex : f.exclusions) {
    auto name = known(c_.dictionaries[field_index(KeywordField::TestName)], ex.test_name);
    if (!name) continue;  // excludes nothing here
    Exclusion ce{*name, std::nullopt, std::nullopt};
    if (ex.control_id) {
      ce.control = known(c_.dictionaries[field_index(KeywordField::ControlId)], *ex.control_id);
      if (!ce.control) continue;
    }
    if (ex.hostname) {
      ce.host = known(c_.dictionaries[field_index(KeywordField::Hostname)], *ex.hostname);
      if (!ce.host) continue;
    }
    exclusions_.push_back(ce);
  }
  if (!f.runs.empty()) {
    for (const auto& run : f.runs) {
      auto id = known(c_.dictionaries[field_index(run.bundle ? KeywordField::BundleId : KeywordField::TestUuid)], run.id);
      auto host = c_.dictionaries[field_index(KeywordField::Hostname)].find(run.hostname);
      if (id && host) runs_.emplace(run.event_time_ms, Run{run.bundle, *id, *host});
    }
    if (runs_.empty()) matches_nothing_ = true;
  }
  has_row_tests_ = !keyword_tests_.empty() || !exclusions_.empty() || !runs_.empty();
}

bool CompiledFilter::keyword_matches(const KeywordTest& test, std::size_t row) const {
  for (const auto& ft : test.fields) {
    const KeywordColumn& column = c_.column(ft.field);
    if (!column.is_list(row)) {
      if (ft.accepted[column.cell(row)]) return true;  // kMissing is never accepted
    } else {
      bool any = false;
      column.for_each_value(row, [&](std::uint32_t id) { any |= ft.accepted[id] != 0; });
      if (any) return true;
    }
  }
  return false;
}

bool CompiledFilter::in_selected_run(std::size_t row) const {
  const bool bundle = c_.flags[row] & Columns::kIsBundleControl;
  auto [first, last] = runs_.equal_range(c_.event_time[row]);
  for (auto it = first; it != last; ++it) {
    const Run& run = it->second;
    if (run.bundle != bundle) continue;
    const bool on_host = run.host == KeywordDictionary::kMissing
                             ? c_.smallest(KeywordField::Hostname, row) == KeywordDictionary::kMissing
                             : c_.holds(KeywordField::Hostname, row, run.host);
    if (on_host && c_.holds(bundle ? KeywordField::BundleId : KeywordField::TestUuid, row, run.id)) return true;
  }
  return false;
}

}  // namespace achilles::embedded
