#pragma once
#include <vector>

#include "achilles/services/api_key_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/api-keys: create (the key shown once), list, revoke; all need
// settings:users:manage, as the original.
std::vector<Route> api_key_routes(ApiKeyService& service);

}  // namespace achilles::server
