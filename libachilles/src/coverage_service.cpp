#include "achilles/services/coverage_service.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {
namespace {
constexpr std::size_t kMatrixCells = 1000;
}

std::vector<ErrorTypeCount> CoverageService::results_by_error_type(const QueryParams& q, const Principal& caller) const {
  const std::int64_t now = ctx_.clock.now_ms();
  const FilterParams params = scoped_to(parse_filter_params(q, now), caller);
  std::vector<ErrorTypeCount> out;
  for (const auto& b : ctx_.index.breakdown(base_filter_bar(params, now), BreakdownQuestion::top(Dimension::error_code(), 20))) {
    const std::int64_t code = std::stoll(b.key);
    out.push_back({resolve_error_name(code, ""), code, b.documents});
  }
  return out;
}

std::vector<CoverageRow> CoverageService::coverage(const QueryParams& q, const Principal& caller, KeywordField field) const {
  const std::int64_t now = ctx_.clock.now_ms();
  const FilterParams params = scoped_to(parse_filter_params(q, now), caller);
  std::vector<CoverageRow> out;
  for (const auto& b : ctx_.index.breakdown(base_filter_bar(params, now), BreakdownQuestion::top(Dimension::keyword(field), 50)))
    out.push_back({b.key, b.tally.documents.strict, b.documents - b.tally.documents.strict});
  return out;
}

std::vector<CoverageRow> CoverageService::test_coverage(const QueryParams& q, const Principal& caller) const {
  return coverage(q, caller, KeywordField::TestName);
}

std::vector<CoverageRow> CoverageService::technique_distribution(const QueryParams& q, const Principal& caller) const {
  return coverage(q, caller, KeywordField::Techniques);
}

std::vector<HostTestCell> CoverageService::host_test_matrix(const QueryParams& q, const Principal& caller) const {
  const std::int64_t now = ctx_.clock.now_ms();
  const FilterParams params = scoped_to(parse_filter_params(q, now), caller);
  auto question = BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), SIZE_MAX);
  question.then_by = Dimension::keyword(KeywordField::TestName);
  question.then_size = SIZE_MAX;
  std::vector<HostTestCell> cells;
  for (const auto& host : ctx_.index.breakdown(base_filter_bar(params, now), question))
    for (const auto& test : host.sub) cells.push_back({host.key, test.key, test.documents});
  const std::size_t keep = std::min(cells.size(), kMatrixCells);
  std::partial_sort(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(keep), cells.end(),
                    [](const HostTestCell& a, const HostTestCell& b) {
                      return a.hostname != b.hostname ? a.hostname < b.hostname : a.test_name < b.test_name;
                    });
  cells.resize(keep);
  return cells;
}

}  // namespace achilles
