#pragma once
#include <boost/json/object.hpp>

#include "achilles/query/filter_params.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/scoring/unit_tally.hpp"

namespace achilles::elasticsearch {

// The `_search` body that answers ResultsIndex::tally (analytics-spec §3.1):
// all-stages counts hits (track_total_hits: true) with combined/strict
// filters; any-stage splits per_doc and per_bundle (terms on the
// bundle_id::hostname script, size 10000).
boost::json::object tally_request(const ResultFilter& filter, ScoringMode mode);

// Reads the answer: hits.total as a number or {value,relation}; missing
// aggregations count as zero.
UnitTally tally_response(const boost::json::object& response, ScoringMode mode);

}  // namespace achilles::elasticsearch
