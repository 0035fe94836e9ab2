#pragma once
#include <boost/json/value.hpp>
#include <concepts>
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
  std::vector<std::pair<std::string, std::string>> path_params = {};

  const std::string& param(std::string_view name) const {
    for (const auto& [k, v] : path_params)
      if (k == name) return v;
    static const std::string kNone;
    return kNone;
  }
};

// A success: the JSON body, and the status when it is not 200.
struct JsonReply {
  template <typename T>
    requires std::convertible_to<T, boost::json::value>
  JsonReply(T&& b) : body(std::forward<T>(b)) {}  // NOLINT: implicit on purpose
  JsonReply(unsigned s, boost::json::value b) : status(s), body(std::move(b)) {}
  unsigned status = 200;
  boost::json::value body;
};

// A handler answers with the JSON of a success; failures are thrown as
// domain errors and mapped to statuses in one place (Api). A path segment
// written `:name` matches any one segment, read back with `RouteCall::param`.
struct Route {
  std::string method;
  std::string path;
  std::vector<Permission> permissions;  // all required
  std::function<JsonReply(const RouteCall&)> handler;
  // Instead of `handler`, for an answer that is not JSON (metrics, exports).
  std::function<HttpResponse(const RouteCall&)> respond = nullptr;
};

}  // namespace achilles::server
