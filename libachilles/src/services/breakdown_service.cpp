#include "achilles/services/breakdown_service.hpp"

#include <algorithm>
#include <array>

#include "achilles/domain/organisations.hpp"
#include "achilles/scoring/percent.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {
namespace {

ScoreRow row_of(const Bucket& b) {
  const UnitScore s = family_score(b.tally);
  return {b.key, rounded_percent(s.protected_count, s.total), s.total, s.protected_count, {}};
}

void by_score_desc(std::vector<ScoreRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const ScoreRow& a, const ScoreRow& b) { return a.score > b.score; });
}

}  // namespace

int severity_rank(const std::string& severity) {
  static constexpr std::array<std::string_view, 5> kOrder{"critical", "high", "medium", "low", "info"};
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == severity) return static_cast<int>(i);
  return -1;
}

std::vector<ScoreRow> BreakdownService::rows(const FilteredRequest& r, const Principal& caller, KeywordField field,
                                             std::size_t size, std::optional<KeywordField> then_by) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  const ResultFilter filter = with_exclusions(defense_score_filter(params, now), ctx_.exclusions(params.org));
  BreakdownQuestion question{Dimension::keyword(field), size, params.scoring_mode, std::nullopt, 50, std::nullopt};
  if (then_by) question.then_by = Dimension::keyword(*then_by);
  std::vector<ScoreRow> out;
  for (const auto& bucket : ctx_.index.breakdown(filter, question)) {
    ScoreRow row = row_of(bucket);
    for (const auto& sub : bucket.sub) row.children.push_back(row_of(sub));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<ScoreRow> BreakdownService::by_test(const TopRequest& r, const Principal& caller) const {
  auto out = rows(r.query, caller, KeywordField::TestName, r.limit);
  by_score_desc(out);
  return out;
}

std::vector<ScoreRow> BreakdownService::by_technique(const FilteredRequest& r, const Principal& caller) const {
  auto out = rows(r, caller, KeywordField::Techniques, 50);
  by_score_desc(out);
  return out;
}

std::vector<ScoreRow> BreakdownService::every_technique(const FilteredRequest& r, const Principal& caller) const {
  constexpr std::size_t kEveryTechnique = 100'000;  // ATT&CK has about 800 techniques and sub-techniques
  auto out = rows(r, caller, KeywordField::Techniques, kEveryTechnique);
  std::sort(out.begin(), out.end(), [](const ScoreRow& a, const ScoreRow& b) { return a.key < b.key; });
  return out;
}

std::vector<ScoreRow> BreakdownService::by_severity(const FilteredRequest& r, const Principal& caller) const {
  auto out = rows(r, caller, KeywordField::Severity, 10);
  std::stable_sort(out.begin(), out.end(),
                   [](const ScoreRow& a, const ScoreRow& b) { return severity_rank(a.key) < severity_rank(b.key); });
  return out;
}

std::vector<ScoreRow> BreakdownService::by_category(const FilteredRequest& r, const Principal& caller) const {
  auto out = rows(r, caller, KeywordField::Category, 20);
  by_score_desc(out);
  return out;
}

std::vector<ScoreRow> BreakdownService::by_category_subcategory(const FilteredRequest& r, const Principal& caller) const {
  auto out = rows(r, caller, KeywordField::Category, 20, KeywordField::Subcategory);
  by_score_desc(out);
  for (auto& row : out)
    std::stable_sort(row.children.begin(), row.children.end(),
                     [](const ScoreRow& a, const ScoreRow& b) { return a.count > b.count; });
  return out;
}

std::vector<ScoreRow> BreakdownService::by_hostname(const TopRequest& r, const Principal& caller) const {
  auto out = rows(r.query, caller, KeywordField::Hostname, r.limit);
  std::stable_sort(out.begin(), out.end(), [](const ScoreRow& a, const ScoreRow& b) { return a.count > b.count; });
  return out;
}

std::vector<ScoreRow> BreakdownService::by_org(const FilteredRequest& r, const Principal& caller) const {
  const std::int64_t now = r.now_ms;
  FilterParams params;
  params.from = r.filters.from;
  params.to = r.filters.to;
  params = scoped_to(params, caller);
  const ResultFilter filter = with_exclusions(defense_score_filter(params, now), ctx_.exclusions(params.org));
  std::vector<ScoreRow> out;
  for (const auto& b : ctx_.index.breakdown(filter, BreakdownQuestion::top(Dimension::keyword(KeywordField::OrgId), 20))) {
    const auto strict = b.tally.documents.strict;
    out.push_back({b.key, rounded_percent(strict, b.documents), b.documents, strict, {}});
  }
  by_score_desc(out);
  return out;
}

std::vector<ThreatActorCoverage> BreakdownService::threat_actor_coverage(const FilteredRequest& r,
                                                                          const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  const ResultFilter filter = with_exclusions(defense_score_filter(params, now), ctx_.exclusions(params.org));
  auto question = BreakdownQuestion::top(Dimension::keyword(KeywordField::ThreatActor), 50);
  question.distinct = KeywordField::TestUuid;
  std::vector<ThreatActorCoverage> out;
  for (const auto& b : ctx_.index.breakdown(filter, question)) {
    const auto strict = b.tally.documents.strict;
    out.push_back({b.key, rounded_percent(strict, b.documents), b.distinct, strict, b.documents});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.total_executions > b.total_executions; });
  return out;
}

}  // namespace achilles
