#pragma once
#include <functional>
#include <optional>
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
  // A body too large to build in memory (an export): when set, `body` is
  // ignored and the body is sent chunked, piece by piece, each asked for on
  // a worker thread once the one before is written; nullopt ends it. A
  // throw cuts the connection, so a client never takes a cut body for whole.
  std::function<std::optional<std::string>()> next_chunk = nullptr;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace achilles::server
