#pragma once
#include <string_view>

namespace achilles::server {

// The OpenAPI 3.1 description of this API (server/api/openapi.json, compiled
// in), served at GET /api/openapi.json. A test holds it to the route table:
// every route described, nothing described that is not a route.
std::string_view openapi_document();

}  // namespace achilles::server
