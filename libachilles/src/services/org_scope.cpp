#include "achilles/services/org_scope.hpp"

#include "achilles/errors.hpp"

namespace achilles {

FilterParams scoped_to(FilterParams params, const Principal& principal) {
  if (principal.org_id.empty()) return params;
  if (!params.org.empty() && params.org != principal.org_id)
    throw AccessDenied("Access denied to this organization");
  params.org = principal.org_id;
  return params;
}

}  // namespace achilles
