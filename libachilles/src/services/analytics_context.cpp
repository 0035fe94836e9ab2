#include "achilles/services/analytics_context.hpp"

#include "achilles/services/org_scope.hpp"

namespace achilles {

FilteredRequest AnalyticsContext::scoped(FilteredRequest request, const Principal& caller) {
  request.filters = scoped_to(std::move(request.filters), caller);
  return request;
}

UnitScore family_score(const UnitTally& t) {
  return {t.units(), t.documents.strict + t.bundle_runs.combined};
}

}  // namespace achilles
