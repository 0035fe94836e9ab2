#include "achilles/services/coverage_service.hpp"

#include "achilles/domain/exit_codes.hpp"

namespace achilles {
namespace {
constexpr std::size_t kMatrixCells = 1000;
}

std::vector<ErrorTypeCount> CoverageService::results_by_error_type(const FilteredRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  std::vector<ErrorTypeCount> out;
  for (const auto& b : ctx_.index.breakdown(base_filter_bar(params, now), BreakdownQuestion::top(Dimension::error_code(), 20))) {
    const std::int64_t code = std::stoll(b.key);
    out.push_back({resolve_error_name(code, ""), code, b.documents});
  }
  return out;
}

std::vector<CoverageRow> CoverageService::coverage(const FilteredRequest& r, const Principal& caller, KeywordField field) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  std::vector<CoverageRow> out;
  auto question = BreakdownQuestion::top(Dimension::keyword(field), 50);
  question.count_unprotected = true;
  for (const auto& b : ctx_.index.breakdown(base_filter_bar(params, now), question))
    out.push_back({b.key, b.tally.documents.strict, b.unprotected_documents});
  return out;
}

std::vector<CoverageRow> CoverageService::test_coverage(const FilteredRequest& r, const Principal& caller) const {
  return coverage(r, caller, KeywordField::TestName);
}

std::vector<CoverageRow> CoverageService::technique_distribution(const FilteredRequest& r, const Principal& caller) const {
  return coverage(r, caller, KeywordField::Techniques);
}

std::vector<HostTestCell> CoverageService::host_test_matrix(const FilteredRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  std::vector<HostTestCell> cells;
  for (auto& pair : ctx_.index.key_pairs(base_filter_bar(params, now),
                                         KeyPairQuestion{KeywordField::Hostname, KeywordField::TestName, kMatrixCells}))
    cells.push_back({std::move(pair.first), std::move(pair.second), pair.documents});
  return cells;
}

}  // namespace achilles
