#pragma once
#include <boost/json/object.hpp>

#include "http/exchange.hpp"

namespace achilles::server {

// The request body as a JSON object. Malformed JSON is a 400 carrying the
// parser's message (InvalidArgument); valid JSON that is not an object fails
// validation like the original's schema check (ValidationFailed). An empty
// body reads as {}.
boost::json::object json_object_body(const HttpRequest& request);

}  // namespace achilles::server
