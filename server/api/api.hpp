#pragma once
#include "api/rate_limits.hpp"
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/services/analytics_context.hpp"
#include "api/route.hpp"
#include "http/exchange.hpp"

namespace achilles::server {

// What the HTTP API is wired to; the server's composition root fills it.
struct ApiDependencies {
  const IdentityVerifier& identity;
  const ResultsIndex& results;
  ResultsArchive& archive;
  const Clock& clock;
  ExclusionLookup exclusions = [](const std::string&) { return std::vector<RiskExclusion>{}; };
  std::vector<Route> extra_routes = {};  // other API areas (risk acceptances, ...)
  std::string cors_origin = "http://localhost:5173";
  bool access_log = true;
  RateLimitPolicy rate_limits = {};
  // Throws with the reason when the store of the moment does not answer
  // (GET /api/ready's 503).
  std::function<void()> check_ready = [] {};
};

// The REST API: authentication (D6: 401 JSON, never a redirect), permission
// checks, routing, and the mapping of domain errors to JSON status codes.
// Handlers parse, call one use case, and serialise.
class Api {
public:
  explicit Api(ApiDependencies deps);
  ~Api();
  HttpResponse handle(const HttpRequest& request) const;
  // Every method and path template this API answers, the open probes and
  // documents included, with the permissions each needs: what
  // GET /api/openapi.json must describe, no more.
  struct RouteSummary {
    std::string method, path;
    std::vector<std::string> permissions;  // e.g. "analytics:dashboards:read"; none: open
  };
  std::vector<RouteSummary> routes() const;
  // Before a body is read: 401 for a caller who did not authenticate on a
  // route that needs it (429 once an address failed too often), else nullopt.
  std::optional<HttpResponse> admit(const HttpRequest& head) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace achilles::server
