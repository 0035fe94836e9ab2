#pragma once
#include <boost/json/object.hpp>
#include <string_view>

#include "achilles/query/result_filter.hpp"

namespace achilles::elasticsearch {

// The mapped field of a keyword (analytics-spec §1.2), e.g. "routing.hostname".
std::string_view field_path(KeywordField field);

// A ResultFilter as the original's `{"bool":{"filter":[…]}}` query, clause
// shapes as in analytics-spec §2 (term for one value, bool/should with
// minimum_should_match 1 for several, must_not for negations and risk
// exclusions). Times are epoch milliseconds.
boost::json::object filter_query(const ResultFilter& filter);

}  // namespace achilles::elasticsearch
