#include "achilles/services/executions_service.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {
namespace {

Pagination paginate(const PageQuestion& q, std::int64_t total) {
  const auto size = static_cast<std::int64_t>(q.limit);
  return {static_cast<std::int64_t>(q.offset) / size + 1, size, total, (total + size - 1) / size};
}

}  // namespace

std::vector<ResultDocument> ExecutionsService::recent(const TopRequest& r, const Principal& caller) const {
  FilterParams requested;  // only org, from and to (§3.4.1)
  requested.org = r.query.filters.org;
  requested.from = r.query.filters.from;
  requested.to = r.query.filters.to;
  PageQuestion question;
  question.limit = r.limit;
  return ctx_.index.page(base_filter(scoped_to(requested, caller), r.query.now_ms), question).documents;
}

ExecutionPage ExecutionsService::paginated(const ExecutionPageRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r.query, caller);
  const PageQuestion& question = r.page;
  auto page = ctx_.index.page(base_filter_bar(params, now), question);
  return {std::move(page.documents), paginate(question, page.total)};
}

ExecutionRunPage ExecutionsService::grouped(const ExecutionPageRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r.query, caller);
  const PageQuestion& question = r.page;
  RunPage page = ctx_.index.run_page(base_filter_bar(params, now), question);
  ExecutionRunPage out;
  out.pagination = paginate(question, page.total_runs);
  out.total_documents = page.total_documents;
  for (auto& run : page.runs) {
    ExecutionRun r;
    for (const auto& m : run.members) {
      if (m.error_code && is_protected_code(*m.error_code)) ++r.protected_count;
      if (m.error_code == kUnprotectedCode) ++r.unprotected_count;
      r.defender_detected = r.defender_detected || m.defender_detected;
    }
    r.run = std::move(run);
    out.runs.push_back(std::move(r));
  }
  return out;
}

}  // namespace achilles
