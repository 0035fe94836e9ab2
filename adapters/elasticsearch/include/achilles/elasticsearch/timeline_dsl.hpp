#pragma once
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>

#include "achilles/defender/detection_rate.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles::elasticsearch {

// ResultsIndex::execution_timeline as composite aggregation pages over
// (f0rtika.techniques, routing.event_time[, routing.hostname]): only the
// tuples and their counts cross the wire, never documents. One page holds
// at most kTimelinePage buckets; the next starts after the page's after_key.
inline constexpr std::int64_t kTimelinePage = 10'000;
boost::json::object timeline_page_request(const ResultFilter& filter, bool with_hosts, const boost::json::object* after);

// Adds a page's buckets to the timeline being built; returns the after_key
// to continue from, or nullopt on the last page.
class TimelineBuilder {
public:
  explicit TimelineBuilder(bool with_hosts) : with_hosts_(with_hosts) {}
  std::optional<boost::json::object> add_page(const boost::json::object& response);
  ExecutionTimeline finish();

private:
  bool with_hosts_;
  std::map<std::string, TechniqueExecutions> techniques_;
  std::map<std::string, std::uint32_t> host_ids_;
  std::vector<std::string> hosts_;
};

}  // namespace achilles::elasticsearch
