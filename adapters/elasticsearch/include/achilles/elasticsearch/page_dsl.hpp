#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "achilles/query/questions.hpp"

namespace achilles::elasticsearch {

// ResultsIndex::distinct_count as a cardinality aggregation. The precision
// threshold is Elasticsearch's maximum (40,000): counts below it are exact.
boost::json::object distinct_request(const ResultFilter& filter, KeywordField field);
std::int64_t distinct_response(const boost::json::object& response);

// ResultsIndex::page: sorted hits with from/size and an exact total.
// Elasticsearch refuses from + size above 10,000 (index.max_result_window);
// page_request throws InvalidArgument for such pages rather than sending them.
boost::json::object page_request(const ResultFilter& filter, const PageQuestion& question);
DocumentPage page_response(const boost::json::object& response);

// A page past the result window is walked to with search_after in a point
// in time: `size` hits after `search_after` (none: from the start), sorted by
// the page's field then _shard_doc (so equal values keep one order across
// requests), `_source` left out of the hits that are only skipped, the total
// counted only when `count_total` (the first request of a walk).
boost::json::object pit_page_request(const ResultFilter& filter, const PageQuestion& question, const std::string& pit_id,
                                     std::size_t size, const boost::json::array* search_after, bool with_source,
                                     bool count_total = true);

// ResultsIndex::run_page in one search (analytics-spec §3.4.3): a terms
// aggregation on the run key script ordered by each run's latest event time
// (ties by key), members as top_hits sorted by the page's field, a
// cardinality of the same script for the number of runs, hits.total for the
// number of documents. Buckets before the offset are fetched and dropped.
boost::json::object run_page_request(const ResultFilter& filter, const PageQuestion& question);
RunPage run_page_response(const boost::json::object& response, const PageQuestion& question);

// A search answer's hits.hits, or nullptr when it has none.
const boost::json::array* hits_in(const boost::json::object& response);
// The sort values of the last hit, what search_after continues from; nullptr when absent.
const boost::json::array* last_sort_values(const boost::json::array& hits);

// The hit's document: its `_source` decoded, its `_id` as id.
ResultDocument document_of_hit(const boost::json::object& hit);

inline constexpr std::size_t kMaxResultWindow = 10'000;

}  // namespace achilles::elasticsearch
