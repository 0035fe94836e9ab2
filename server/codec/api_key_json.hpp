#pragma once
#include <boost/json/object.hpp>

#include "achilles/domain/api_key.hpp"

namespace achilles::server {

// ApiKeyInfo of the original's dashboard: id, name, key_prefix, scope, and
// the four times (ISO-8601, or null). Never the hash.
boost::json::object api_key_json(const ApiKey& key);

}  // namespace achilles::server
