#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace achilles::server {

// One HTTP exchange as the API layer sees it, free of Beast types so that
// routing and handlers compile without the networking headers.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // origin-form: /path?query
  std::string authorization;
  std::string origin;
  std::string content_type;
  std::string body;
  std::string remote_address;
};

struct HttpResponse {
  unsigned status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace achilles::server
