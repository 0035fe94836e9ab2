#pragma once
#include <boost/json/object.hpp>
#include <vector>

#include "achilles/query/questions.hpp"

namespace achilles::elasticsearch {

// ResultsIndex::breakdown as a terms aggregation (analytics-spec §3.3):
// `by_dimension` on the field (or event.ERROR), the unit measures of the
// scoring mode inside, optionally a nested terms and a cardinality.
boost::json::object breakdown_request(const ResultFilter& filter, const BreakdownQuestion& question);
std::vector<Bucket> breakdown_response(const boost::json::object& response, const BreakdownQuestion& question);

// ResultsIndex::key_pairs as the original's host-test matrix asks it: a
// composite aggregation `pairs` of `size`, two terms sources; its first page.
boost::json::object key_pairs_request(const ResultFilter& filter, const KeyPairQuestion& question);
std::vector<KeyPairBucket> key_pairs_response(const boost::json::object& response);

// ResultsIndex::histogram as a date_histogram (min_doc_count 0, no extended
// bounds: first to last bucket with data) with the unit measures and one
// filter per exit-code set.
boost::json::object histogram_request(const ResultFilter& filter, const HistogramQuestion& question);
std::vector<TimeBucket> histogram_response(const boost::json::object& response, const HistogramQuestion& question);

}  // namespace achilles::elasticsearch
