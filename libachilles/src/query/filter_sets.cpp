#include "achilles/query/result_filter.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kDefaultWindowMs = 7LL * 24 * 60 * 60 * 1000;

void apply_date(ResultFilter& f, const FilterParams& p, std::int64_t now_ms) {
  f.requires_event_time = true;
  if (!p.from && !p.to) {
    f.from_ms = now_ms - kDefaultWindowMs;  // the original's default window
    return;
  }
  if (p.from) f.from_ms = p.from->epoch_ms;
  if (p.to) f.to_ms = p.to->epoch_ms;
}

void apply_org(ResultFilter& f, const FilterParams& p) {
  if (!p.org.empty()) f.keywords.push_back({{KeywordField::OrgId}, {p.org}});
}

void add_list(ResultFilter& f, std::vector<KeywordField> fields, const std::vector<std::string>& values) {
  if (!values.empty()) f.keywords.push_back({std::move(fields), values});
}

// errorNames of §2.5: resolved names become exit codes; only when none
// resolves do the names match the stored error_name instead.
void apply_error_names(ResultFilter& f, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::vector<std::int64_t> codes;
  for (const auto& name : names)
    if (auto code = code_for_error_name(name)) codes.push_back(*code);
  if (!codes.empty())
    f.exit_codes.push_back({std::move(codes), false});
  else
    f.keywords.push_back({{KeywordField::ErrorName}, names});
}

void apply_result(ResultFilter& f, ResultClass result) {
  const std::vector<std::int64_t> conclusive(kConclusiveCodes.begin(), kConclusiveCodes.end());
  switch (result) {
    case ResultClass::All: break;
    case ResultClass::Protected:
      f.exit_codes.push_back({{kProtectedCodes.begin(), kProtectedCodes.end()}, false});
      break;
    case ResultClass::Unprotected: f.exit_codes.push_back({{kUnprotectedCode}, false}); break;
    case ResultClass::Inconclusive: f.exit_codes.push_back({conclusive, true}); break;
  }
}

// The filter-bar clauses (FB, §2.3), in the original's order.
void apply_filter_bar(ResultFilter& f, const FilterParams& p) {
  add_list(f, {KeywordField::TestName, KeywordField::TestUuid}, p.tests);  // D2
  add_list(f, {KeywordField::Techniques}, p.techniques);
  add_list(f, {KeywordField::Hostname}, p.hostnames);
  add_list(f, {KeywordField::Category}, p.categories);
  add_list(f, {KeywordField::Severity}, p.severities);
  add_list(f, {KeywordField::ThreatActor}, p.threat_actors);
  add_list(f, {KeywordField::Tags}, p.tags);
  apply_error_names(f, p.error_names);
  if (!p.error_codes.empty()) f.exit_codes.push_back({p.error_codes, false});
  add_list(f, {KeywordField::BundleName}, p.bundle_names);
  apply_result(f, p.result);
}

}  // namespace

ResultFilter defense_score_filter(const FilterParams& params, std::int64_t now_ms) {
  ResultFilter f;
  apply_date(f, params, now_ms);
  f.exit_codes.push_back({{kConclusiveCodes.begin(), kConclusiveCodes.end()}, false});  // CONCL
  apply_org(f, params);
  apply_filter_bar(f, params);
  return f;
}

ResultFilter base_filter(const FilterParams& params, std::int64_t now_ms) {
  ResultFilter f;
  apply_date(f, params, now_ms);
  apply_org(f, params);
  return f;
}

ResultFilter base_filter_bar(const FilterParams& params, std::int64_t now_ms) {
  ResultFilter f = base_filter(params, now_ms);
  apply_filter_bar(f, params);
  return f;
}

ResultFilter error_rate_filter(const FilterParams& params, std::int64_t now_ms) {
  ResultFilter f;
  apply_date(f, params, now_ms);
  f.exit_codes.push_back({{kUploadConfirmationCode}, true});  // ACT: uploads are not test activity
  apply_org(f, params);
  apply_filter_bar(f, params);
  return f;
}

ResultFilter options_filter(const FilterParams& params) {
  ResultFilter f;
  // The option lists apply a date range only when one is asked for.
  f.requires_event_time = params.from || params.to;
  if (params.from) f.from_ms = params.from->epoch_ms;
  if (params.to) f.to_ms = params.to->epoch_ms;
  apply_org(f, params);
  return f;
}

ResultFilter test_data_filter() {
  ResultFilter f;
  f.requires_event_time = false;
  return f;
}

ResultFilter with_exclusions(ResultFilter filter, std::vector<RiskExclusion> exclusions) {
  filter.exclusions = std::move(exclusions);
  return filter;
}

}  // namespace achilles
