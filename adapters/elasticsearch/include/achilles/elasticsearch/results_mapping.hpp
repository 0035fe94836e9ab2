#pragma once
#include <boost/json/value.hpp>

namespace achilles::elasticsearch {

// The canonical results mapping (analytics-spec §1.2): every string a pure
// keyword so term filters and terms aggregations behave. Used to create
// results indices and the archive index.
boost::json::value results_index_body();

}  // namespace achilles::elasticsearch
