#include "achilles/services/analytics_context.hpp"

#include "achilles/services/org_scope.hpp"

#include "achilles/errors.hpp"
#include "achilles/query/filter_params.hpp"

namespace achilles {

ScopedQuery AnalyticsContext::scoped(const QueryParams& query, const Principal& caller) const {
  const std::int64_t now = clock.now_ms();
  return {now, scoped_to(parse_filter_params(query, now), caller)};
}

UnitScore family_score(const UnitTally& t) {
  return {t.units(), t.documents.strict + t.bundle_runs.combined};
}

std::int64_t count_param(const QueryParams& params, std::string_view key, std::int64_t when_absent,
                         std::int64_t when_falsy) {
  auto text = param_value(params, key);
  if (!text) return when_absent;
  auto value = js_parse_int(*text);
  if (!value || *value == 0) return when_falsy;
  if (*value < 0) throw InvalidArgument("Invalid '" + std::string(key) + "': must be a positive integer");
  return *value;
}

}  // namespace achilles
