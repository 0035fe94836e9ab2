#include "api/api.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <chrono>
#include <mutex>

#include "achilles/log/log.hpp"
#include "achilles/metrics/process_metrics.hpp"
#include "api/auth_throttle.hpp"
#include "api/rate_limits.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "api/analytics_routes.hpp"
#include "api/export_routes.hpp"
#include "api/openapi_document.hpp"
#include "dashboard/dashboard_assets.hpp"
#include "dashboard/dashboard_response.hpp"
#include "api/route.hpp"
#include "json/js_json.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxQueryParameters = 100;
constexpr const char* kMetricsPath = "/metrics";
constexpr const char* kOpenApiPath = "/api/openapi.json";
constexpr std::size_t kMaxQueryKeyBytes = 256;
constexpr std::size_t kMaxQueryValueBytes = 8192;

HttpResponse json_response(unsigned status, const json::value& body) { return {status, to_json(body), {}}; }

HttpResponse error_response(unsigned status, std::string_view message) {
  return json_response(status, json::object{{"success", false}, {"error", message}});
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// "/api/x/:id/revoke" against "/api/x/42/revoke" → {{"id","42"}}.
std::optional<std::vector<std::pair<std::string, std::string>>> match_path(std::string_view pattern,
                                                                          std::string_view path) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return std::nullopt;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pe = std::min(pattern.find('/'), pattern.size());
    const auto se = std::min(path.find('/'), path.size());
    const auto want = pattern.substr(0, pe);
    const auto have = path.substr(0, se);
    if (!want.empty() && want[0] == ':') {
      if (have.empty()) return std::nullopt;
      params.emplace_back(std::string(want.substr(1)), std::string(have));
    } else if (want != have) {
      return std::nullopt;
    }
    pattern.remove_prefix(pe);
    path.remove_prefix(se);
  }
  return params;
}

}  // namespace

struct Api::Impl {
  explicit Impl(ApiDependencies d) : deps(std::move(d)) {}
  ApiDependencies deps;
  std::vector<Route> routes;
  mutable AuthThrottle throttle;
  RateLimits rate_limits{deps.rate_limits, deps.clock};

  // Probes and the API's description carry no credential.
  static bool open_get(std::string_view path) {
    return path == "/api/health" || path == "/api/ready" || path == kOpenApiPath;
  }
  static bool open_path(const HttpRequest& req, std::string_view path) {
    return req.method == "OPTIONS" || !path.starts_with("/api/") ||
           (open_get(path) && (req.method == "GET" || req.method == "HEAD"));
  }

  // Readiness asks the store at most once a second, however often it is
  // probed: an unauthenticated caller cannot make us query the cluster. One
  // probe asks; the others meanwhile get the last verdict at once, so a slow
  // cluster does not hold every probe for its timeout; once the question has
  // waited 2 s, they answer that the store is not answering.
  static constexpr std::int64_t kReadyQuestionPatienceMs = 2000;
  std::mutex ready_mutex;
  std::optional<std::int64_t> ready_checked_ms;
  std::optional<std::int64_t> ready_asked_at_ms;  // while a probe asks
  std::string not_ready_reason = "the first readiness check has not finished";

  // The check's outcome lands, and the question is over, however it ended.
  struct ReadinessAnswer {
    Impl& impl;
    std::int64_t asked_at_ms;
    std::optional<std::string> reason;  // "" ready; nullopt if the check never finished
    ~ReadinessAnswer() {
      std::lock_guard lock(impl.ready_mutex);
      if (reason) {
        impl.not_ready_reason = std::move(*reason);
        impl.ready_checked_ms = asked_at_ms;
      }
      impl.ready_asked_at_ms.reset();
    }
  };

  HttpResponse readiness() {
    std::unique_lock lock(ready_mutex);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch()).count();
    if (!ready_asked_at_ms && (!ready_checked_ms || now - *ready_checked_ms >= 1000)) {
      ready_asked_at_ms = now;
      lock.unlock();
      {
        ReadinessAnswer answer{*this, now, std::nullopt};
        try {
          deps.check_ready();
          answer.reason = "";
        } catch (const std::exception& e) {
          answer.reason = *e.what() ? e.what() : "the results store did not answer";
        } catch (...) {
          answer.reason = "the results store did not answer";
        }
      }
      lock.lock();
    }
    std::string reason = not_ready_reason;
    if (ready_asked_at_ms && now - *ready_asked_at_ms >= kReadyQuestionPatienceMs)
      reason = "the results store has not answered for " + std::to_string((now - *ready_asked_at_ms) / 1000) + " s";
    lock.unlock();
    if (reason.empty()) return json_response(200, json::object{{"status", "ready"}});
    HttpResponse r = json_response(
        503, json::object{{"success", false}, {"status", "unavailable"}, {"error", "Not ready: " + reason}});
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }

  // Before the body is read, on an I/O thread: nothing that waits on the
  // network. A credential that needs a key fetched first is let through to
  // the worker, which verifies it in full.
  std::optional<HttpResponse> refused_before_body(const HttpRequest& req) {
    if (auto wait = throttled(req)) return wait;
    const std::string_view bearer = bearer_token(req.authorization);
    if (deps.identity.verify_without_waiting(bearer) != IdentityVerifier::Verdict::Refused) return std::nullopt;
    return unproven(req, bearer, std::nullopt);
  }

  // A request that proves no identity still counts against the limits: past
  // them the answer is their 429, else the 401. With the limits' headers.
  HttpResponse unproven(const HttpRequest& req, std::string_view bearer, const std::optional<Principal>& principal) {
    std::vector<std::pair<std::string, std::string>> limit_headers;
    HttpResponse r;
    if (auto limited = rate_limits.count(req, bearer, principal, limit_headers)) r = *limited;
    else r = unauthenticated(req);
    for (auto& h : limit_headers) r.headers.push_back(std::move(h));
    return r;
  }

  std::optional<HttpResponse> throttled(const HttpRequest& req) const {
    auto wait = throttle.retry_after(req.remote_address);
    if (!wait) return std::nullopt;
    HttpResponse r = error_response(429, "Too many failed authentications; retry later");
    r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return r;
  }

  HttpResponse unauthenticated(const HttpRequest& req) const {
    throttle.failed(req.remote_address);
    HttpResponse r = error_response(401, "Authentication required");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }

  void security_headers(HttpResponse& r) const {
    // A JSON API: nothing may be framed, sniffed or loaded from it. The
    // dashboard's files bring their own policy and caching, which stand.
    auto unless_set = [&r](const char* name, const char* value) {
      for (const auto& h : r.headers)
        if (boost::beast::iequals(h.first, name)) return;
      r.headers.emplace_back(name, value);
    };
    unless_set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    unless_set("X-Frame-Options", "SAMEORIGIN");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
    unless_set("Cache-Control", "no-store");
    r.headers.emplace_back("Access-Control-Allow-Origin", deps.cors_origin);
    r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
    r.headers.emplace_back("Access-Control-Expose-Headers", "Authorization,Content-Disposition");
    r.headers.emplace_back("Vary", "Origin");
  }

  // No endpoint reads more than a few parameters, nor needs a value longer
  // than a long list of test names: more is refused before anything is parsed.
  static std::optional<HttpResponse> refused_query(const QueryParams& query) {
    if (query.size() > kMaxQueryParameters)
      return error_response(400, "Too many query parameters (at most " + std::to_string(kMaxQueryParameters) + ")");
    for (const auto& [key, value] : query)
      if (key.size() > kMaxQueryKeyBytes || value.size() > kMaxQueryValueBytes)
        return error_response(400, "Query parameter '" + key.substr(0, 64) + "' is too long (at most " +
                                       std::to_string(kMaxQueryValueBytes) + " bytes)");
    return std::nullopt;
  }

  // `route_template` receives what the metrics and the access log name the
  // request by: the matched route's template, never the raw path.
  HttpResponse route(const HttpRequest& req, std::string& principal_id, std::string& route_template) {
    route_template = "unmatched";
    if (req.method == "OPTIONS") {
      route_template = "preflight";
      HttpResponse r{204, "", {}};
      r.headers.emplace_back("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
      r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type,Authorization");
      return r;
    }
    auto parsed = boost::urls::parse_origin_form(req.target);
    if (!parsed) return error_response(400, "Malformed request target");
    const std::string path = parsed->path();
    QueryParams query;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;  // like Express's query parser
    for (auto param : parsed->params(opts)) query.emplace_back(param.key, param.has_value ? param.value : "");
    if (auto refused = refused_query(query)) return *refused;

    if (open_get(path)) route_template = path;
    if (path == kOpenApiPath && (req.method == "GET" || req.method == "HEAD")) {
      return HttpResponse{200, std::string(openapi_document()), {}};
    }
    if (path == "/api/health" && (req.method == "GET" || req.method == "HEAD"))
      return json_response(200, json::object{{"status", "ok"},
                                             {"service", "ProjectAchilles"},
                                             {"version", "1.0.0"},
                                             {"timestamp", format_iso_millis(deps.clock.now_ms())}});

    if (path == "/api/ready" && (req.method == "GET" || req.method == "HEAD")) return readiness();

    const std::string not_found = "Cannot " + req.method + " " + path;
    if (!path.starts_with("/api/") && path != kMetricsPath && (req.method == "GET" || req.method == "HEAD")) {
      if (auto asset = dashboard_asset(path)) {
        route_template = "dashboard";
        return dashboard_response(*asset);
      }
    }
    if (!path.starts_with("/api/") && path != kMetricsPath)
      return json_response(404, json::object{{"success", false}, {"error", "Not Found"}, {"message", not_found}});

    std::vector<std::pair<std::string, std::string>> limit_headers;
    HttpResponse r = authenticated(req, path, query, principal_id, route_template, limit_headers);
    for (auto& h : limit_headers) r.headers.push_back(std::move(h));
    return r;
  }

  // Everything under /api/ but health: who calls, the rate limits, the route.
  HttpResponse authenticated(const HttpRequest& req, const std::string& path, const QueryParams& query,
                             std::string& principal_id, std::string& route_template,
                             std::vector<std::pair<std::string, std::string>>& limit_headers) {
    if (auto wait = throttled(req)) return *wait;
    const std::string_view bearer = bearer_token(req.authorization);
    std::optional<Principal> principal;
    try {
      principal = deps.identity.verify(bearer);
    } catch (const BackendUnavailable& e) {  // the store that knows the key did not answer
      HttpResponse r = error_response(503, e.what());
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    if (!principal) return unproven(req, bearer, principal);
    if (auto limited = rate_limits.count(req, bearer, principal, limit_headers)) return *limited;
    principal_id = principal->user_id;
    const std::string not_found = "Cannot " + req.method + " " + path;

    std::vector<std::pair<std::string, std::string>> path_params;
    const Route* match = find_route(req.method, path, &path_params);
    if (match) route_template = match->path;
    if (!match) {
      // The original's analytics router checks dashboards:read before 404.
      if (path.starts_with("/api/analytics/") && !principal->may(Permission::AnalyticsDashboardsRead))
        return error_response(403, "Insufficient permissions");
      return json_response(404, json::object{{"success", false}, {"error", "Not Found"}, {"message", not_found}});
    }
    for (Permission p : match->permissions)
      if (!principal->may(p)) return error_response(403, "Insufficient permissions");

    try {
      const RouteCall call{*principal, query, req, std::move(path_params)};
      if (match->respond) return match->respond(call);
      JsonReply reply = match->handler(call);
      return json_response(reply.status, reply.body);
    } catch (const ValidationFailed& e) {
      json::array details;
      for (const auto& issue : e.issues()) details.push_back(json::object{{"path", issue.path}, {"message", issue.message}});
      return json_response(400, json::object{{"success", false}, {"error", e.what()}, {"details", std::move(details)}});
    } catch (const InvalidArgument& e) {
      return error_response(400, e.what());
    } catch (const AccessDenied& e) {
      return error_response(403, e.what());
    } catch (const NotFound& e) {
      return error_response(404, e.what());
    } catch (const Conflict& e) {
      return error_response(409, e.what());
    } catch (const BackendRejected& e) {
      return error_response(400, e.what());
    } catch (const BackendUnavailable& e) {
      HttpResponse r = error_response(503, e.what());
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
  }

  const Route* find_route(const std::string& method, std::string_view path,
                          std::vector<std::pair<std::string, std::string>>* params = nullptr) const {
    for (const auto& r : routes) {
      if (r.method != method) continue;
      if (auto found = match_path(r.path, path)) {
        if (params) *params = std::move(*found);
        return &r;
      }
    }
    return nullptr;
  }

  // Counted for GET /metrics, and one access-log line. The line names the
  // route template, not the target: a query string may carry what must
  // never reach a log.
  void record(const HttpRequest& req, const HttpResponse& response, const std::string& route_template, double ms,
              const std::string& principal_id) {
    auto& metrics = metrics::ProcessMetrics::process();
    metrics.request_answered(req.method, route_template, response.status, ms / 1000);
    if (response.status == 429) metrics.request_rejected("rate_limited");
    if (!deps.access_log) return;
    LogFields fields{{"method", req.method},
                     {"route", route_template},
                     {"status", static_cast<std::int64_t>(response.status)},
                     {"ms", std::round(ms * 100) / 100},
                     {"bytes", static_cast<std::int64_t>(response.body.size())},
                     {"ip", req.remote_address}};
    if (!principal_id.empty()) fields.emplace_back("principal", principal_id);
    log_record("http", fields);
  }
};

Api::Api(ApiDependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  const auto& d = impl_->deps;
  impl_->routes = analytics_routes(AnalyticsContext{d.results, d.clock, d.exclusions}, d.archive);
  for (auto& route : export_routes(AnalyticsContext{d.results, d.clock, d.exclusions})) impl_->routes.push_back(std::move(route));
  for (auto& route : impl_->deps.extra_routes) impl_->routes.push_back(std::move(route));
  // Prometheus' path, outside /api/; a scraper sends a bearer with
  // system:metrics:read (an API key of read scope has it).
  impl_->routes.push_back({"GET", kMetricsPath, {Permission::SystemMetricsRead}, nullptr, [](const RouteCall&) {
                             return HttpResponse{200, metrics::ProcessMetrics::process().render(),
                                                 {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}};
                           }});
}

Api::~Api() = default;

std::vector<Api::RouteSummary> Api::routes() const {
  std::vector<RouteSummary> out{{"GET", "/api/health", {}}, {"GET", "/api/ready", {}}, {"GET", kOpenApiPath, {}}};
  for (const auto& r : impl_->routes) {
    RouteSummary summary{r.method, r.path, {}};
    for (Permission p : r.permissions) summary.permissions.emplace_back(permission_name(p));
    out.push_back(std::move(summary));
  }
  return out;
}

std::optional<HttpResponse> Api::admit(const HttpRequest& head) const {
  auto parsed = boost::urls::parse_origin_form(head.target);
  if (!parsed) return std::nullopt;  // handle() answers 400
  if (Impl::open_path(head, parsed->path())) return std::nullopt;
  std::optional<HttpResponse> refused;
  try {
    refused = impl_->refused_before_body(head);
  } catch (const std::exception&) {
    return std::nullopt;  // undecided here: the worker verifies again and answers
  }
  if (!refused) return std::nullopt;
  impl_->security_headers(*refused);
  const Route* route = impl_->find_route(head.method, parsed->path());
  impl_->record(head, *refused, route ? route->path : "unmatched", 0, "");
  return refused;
}

HttpResponse Api::handle(const HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const metrics::RequestInFlight in_flight;
  std::string principal_id, route_template = "unmatched";
  HttpResponse response;
  try {
    response = impl_->route(request, principal_id, route_template);
  } catch (const std::exception& e) {
    log_event(LogLevel::Error, "api", e.what());
    response = error_response(500, "Internal Server Error");
  }
  impl_->security_headers(response);
  impl_->record(request, response, route_template,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                principal_id);
  return response;
}

}  // namespace achilles::server
