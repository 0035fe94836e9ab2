#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "achilles/elasticsearch/cluster.hpp"

namespace achilles::elasticsearch {

// The NDJSON body of an _msearch on one index pattern: an empty header
// (the pattern is in the path) before each search body.
std::string multi_search_body(const std::vector<boost::json::object>& bodies);

// Several searches of one index pattern in one round trip (_msearch), their
// answers in order. One search that failed fails them all, as it would have
// alone: a 4xx → BackendRejected with Elasticsearch's reason, else
// BackendUnavailable.
std::vector<boost::json::object> multi_search(const EsCluster& cluster, const std::string& pattern,
                                              const std::vector<boost::json::object>& bodies);

// The same, each search answered on its own: a failed one is its `error`
// object ({"error": …, "status": …}) in its place, the others stand.
std::vector<boost::json::object> multi_search_each(const EsCluster& cluster, const std::string& pattern,
                                                   const std::vector<boost::json::object>& bodies);

}  // namespace achilles::elasticsearch
