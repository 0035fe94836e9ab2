#pragma once
#include <boost/json/value.hpp>

#include "achilles/domain/defender_graph_items.hpp"

namespace achilles::graph {

// Graph's JSON items into the fields Achilles reads (§2.4); a wrong type
// reads as absent, an item that is not an object as empty.
GraphSecureScore secure_score_of(const boost::json::value& item);
GraphControlProfile control_profile_of(const boost::json::value& item);
GraphAlert alert_of(const boost::json::value& item);

}  // namespace achilles::graph
