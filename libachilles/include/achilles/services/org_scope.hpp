#pragma once
#include "achilles/auth/principal.hpp"
#include "achilles/query/filter_params.hpp"

namespace achilles {

// D9: a principal bound to an organisation sees only that organisation's
// results. Its requests are pinned to its org; asking for another org is
// refused (AccessDenied) rather than silently answered with other data.
FilterParams scoped_to(FilterParams params, const Principal& principal);

}  // namespace achilles
