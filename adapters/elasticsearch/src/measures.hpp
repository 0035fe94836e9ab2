#pragma once
#include <boost/json.hpp>
#include <string_view>

#include "achilles/query/filter_params.hpp"
#include "achilles/scoring/unit_tally.hpp"

namespace achilles::elasticsearch {

// The protection predicates and unit splits of analytics-spec §2.8, and the
// sub-aggregations that measure a UnitTally inside any bucket.
boost::json::object strict();
boost::json::object combined();
boost::json::object per_doc();
boost::json::object per_bundle();
boost::json::object term(std::string_view field, boost::json::value value);
boost::json::object must_not(boost::json::object clause);

boost::json::object unit_sub_aggs(ScoringMode mode);
// Reads unit_sub_aggs' answer inside a bucket whose own doc_count is `documents`.
UnitTally read_units(const boost::json::object& bucket, ScoringMode mode);

std::int64_t doc_count(const boost::json::object& bucket);
std::int64_t count_of(const boost::json::object& o, std::string_view agg);
const boost::json::object* sub(const boost::json::object& o, std::string_view key);

}  // namespace achilles::elasticsearch
