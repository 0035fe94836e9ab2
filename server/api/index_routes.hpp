#pragma once
#include <vector>

#include <memory>

#include "achilles/services/index_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// GET /api/analytics/indices and POST /api/analytics/index/create
// (analytics-spec §3.8), on the Elasticsearch cluster of the moment. With the
// embedded store serving they answer 400: there is no cluster to list.
std::vector<Route> index_routes(std::shared_ptr<IndexService> indices);

}  // namespace achilles::server
