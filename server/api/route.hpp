#pragma once
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/query/query_params.hpp"
#include "http/exchange.hpp"

namespace achilles::server {

// What a handler gets: the caller, the decoded query, the raw request.
struct RouteCall {
  const Principal& caller;
  const QueryParams& query;
  const HttpRequest& request;
};

// A handler answers with the JSON body of a success; failures are thrown as
// domain errors and mapped to statuses in one place (Api).
struct Route {
  std::string method;
  std::string path;
  std::vector<Permission> permissions;  // all required
  std::function<boost::json::value(const RouteCall&)> handler;
};

}  // namespace achilles::server
