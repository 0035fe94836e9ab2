#pragma once
#include <boost/json/object.hpp>

#include "achilles/scoring/defense_score.hpp"

namespace achilles::server {

// GET /api/analytics/defense-score body, keys in the original's order (§3.1).
boost::json::object defense_score_json(const DefenseScore& score);

}  // namespace achilles::server
