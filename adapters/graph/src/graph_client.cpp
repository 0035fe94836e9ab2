#include "achilles/graph/graph_client.hpp"

#include <boost/json.hpp>

#include "achilles/graph/client_assertion.hpp"
#include "achilles/json_fields/json_fields.hpp"
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include "achilles/graph/graph_items_json.hpp"

namespace achilles::graph {
namespace json = boost::json;
namespace {

constexpr std::int64_t kRefreshMarginS = 300;
constexpr std::size_t kQuotedChars = 200;
constexpr std::int64_t kMaxPages = 10'000;  // a Graph that pages forever is cut off

// Form encoding as URLSearchParams writes it (`*-._` kept, space as `+`),
// or a path segment as encodeURIComponent writes it.
std::string percent_encoded(std::string_view text, bool form) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kFormKept = "*-._";
  static constexpr std::string_view kComponentKept = "-_.!~*'()";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || (form ? kFormKept : kComponentKept).find(static_cast<char>(c)) != std::string_view::npos)
      out += static_cast<char>(c);
    else if (c == ' ' && form) out += '+';
    else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Graph's own words about a failure: error.code and error.message (or a
// token endpoint's error_description), cut short; never an HTML page.
std::string graph_reason(const std::string& body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto& o = v.get_object();
  std::string reason;
  if (const auto* error = o.if_contains("error"); error && error->is_object()) {
    const auto& e = error->get_object();
    const auto* code = e.if_contains("code");
    const auto* message = e.if_contains("message");
    if (code && code->is_string()) reason = std::string(code->get_string());
    if (message && message->is_string()) reason += (reason.empty() ? "" : ": ") + std::string(message->get_string());
  }
  if (reason.size() > kQuotedChars) reason = reason.substr(0, kQuotedChars);
  return reason;
}

// scheme://host:port, lowercase; empty for what is not an absolute URL.
std::string origin_of(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority()) return {};
  std::string origin = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host()) + ":" +
                       (parsed->has_port() ? std::string(parsed->port()) : parsed->scheme() == "https" ? "443" : "80");
  std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return origin;
}

std::int64_t retry_after_seconds(const std::optional<std::string>& header, const GraphRetries& retries) {
  std::int64_t seconds = retries.default_wait.count();
  if (header) {
    try {
      std::size_t used = 0;
      const long long value = std::stoll(*header, &used);
      if (used > 0 && value >= 0) seconds = value;
    } catch (const std::exception&) {
    }
  }
  return std::min<std::int64_t>(seconds, retries.longest_wait.count());
}

}  // namespace

std::string form_encoded(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += '&';
    out += percent_encoded(key, true) + "=" + percent_encoded(value, true);
  }
  return out;
}

GraphClient::GraphClient(const http::OutboundClient& client, GraphEndpoints endpoints, const Clock& clock, GraphRetries retries)
    : client_(client), endpoints_(std::move(endpoints)), clock_(clock), retries_(std::move(retries)) {
  for (auto* url : {&endpoints_.graph, &endpoints_.login})
    while (!url->empty() && url->back() == '/') url->pop_back();
}

std::string GraphClient::fetch_token(const DefenderCredentials& c) const {
  const std::string token_url = endpoints_.login + "/" + percent_encoded(c.tenant_id, false) + "/oauth2/v2.0/token";
  const std::string scope = endpoints_.graph + "/.default";
  const std::int64_t now_s = clock_.now_ms() / 1000;  // before the request, as the original
  std::vector<std::pair<std::string, std::string>> form{{"grant_type", "client_credentials"}, {"client_id", c.client_id}};
  if (c.method == DefenderCredentials::Method::Certificate) {
    form.emplace_back("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.emplace_back("client_assertion", client_assertion(token_url, c.client_id, c.cert_thumbprint, c.private_key_pem, now_s));
  } else {
    form.emplace_back("client_secret", c.client_secret);
  }
  form.emplace_back("scope", scope);

  http::OutboundRequest request;
  request.method = "POST";
  request.url = token_url;
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = form_encoded(form);
  http::OutboundResponse response;
  try {
    response = client_.send(request);
  } catch (const http::OutboundFailure& e) {
    throw GraphFailure(std::string("Connection failed: ") + e.what());
  }
  boost::system::error_code ec;
  const json::value answer = json::parse(response.body, ec);
  const json::object* o = !ec ? answer.if_object() : nullptr;
  if (response.status < 200 || response.status >= 300) {
    const auto* description = o ? o->if_contains("error_description") : nullptr;
    std::string reason = description && description->is_string() ? std::string(description->get_string())
                                                                  : "HTTP " + std::to_string(response.status);
    if (reason.size() > 300) reason = reason.substr(0, 300);
    throw GraphFailure("Token acquisition failed: " + reason);
  }
  const auto* token = o ? o->if_contains("access_token") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty())
    throw GraphFailure("Token acquisition failed: the token endpoint answered without an access_token");
  std::int64_t lifetime = json_fields::whole_number(*o, "expires_in").value_or(3600);
  if (auto text = json_fields::text(*o, "expires_in")) lifetime = std::atoll(text->c_str());  // some clouds send a string
  lifetime = std::clamp<std::int64_t>(lifetime, 0, 24 * 3600);
  std::lock_guard lock(tokens_mutex_);
  tokens_[c.cache_key()] = {std::string(token->get_string()), now_s + lifetime};
  return std::string(token->get_string());
}

std::string GraphClient::token(const DefenderCredentials& c) const {
  {
    std::lock_guard lock(tokens_mutex_);
    auto it = tokens_.find(c.cache_key());
    if (it != tokens_.end() && it->second.expires_at_s > clock_.now_ms() / 1000 + kRefreshMarginS) return it->second.access_token;
  }
  return fetch_token(c);
}

void GraphClient::forget_token(const DefenderCredentials& c) const {
  std::lock_guard lock(tokens_mutex_);
  tokens_.erase(c.cache_key());
}

void GraphClient::acquire_token(const DefenderCredentials& credentials) const { fetch_token(credentials); }

void GraphClient::check_read(const DefenderCredentials& credentials) const {
  paged_get(credentials, "/security/alerts_v2", {{"$top", "1"}}, true);
}

std::vector<json::value> GraphClient::paged_get(const DefenderCredentials& c, const std::string& path,
                                                const std::vector<std::pair<std::string, std::string>>& query,
                                                bool first_page_only) const {
  std::string next = endpoints_.graph + "/v1.0" + path + (query.empty() ? "" : "?" + form_encoded(query));
  const std::string graph_origin = origin_of(endpoints_.graph);
  std::vector<json::value> items;
  int retries = 0;
  for (std::int64_t pages = 0; !next.empty(); ++pages) {
    if (pages >= kMaxPages) throw GraphFailure("Graph API request failed: more than 10000 pages");
    // The token goes to Graph only: a next page elsewhere is not followed.
    if (origin_of(next) != graph_origin) throw GraphFailure("Graph API request failed: a next page on another host was refused");
    http::OutboundRequest request;
    request.url = next;
    request.headers = {"Authorization: Bearer " + token(c), "Accept: application/json"};
    request.may_repeat = true;
    http::OutboundResponse response;
    try {
      response = client_.send(request);
    } catch (const http::OutboundFailure& e) {
      throw GraphFailure(std::string("Graph API request failed: ") + e.what());
    }
    if (response.status == 429 && retries < retries_.too_many_requests) {
      ++retries;
      retries_.wait(std::chrono::seconds(retry_after_seconds(response.retry_after, retries_)));
      continue;
    }
    if (response.status == 401 && retries < 1) {  // one fresh token, as the original (the counter is shared)
      ++retries;
      forget_token(c);
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      const std::string reason = graph_reason(response.body);
      throw GraphFailure("Graph API request failed: HTTP " + std::to_string(response.status) +
                         (reason.empty() ? "" : " \u2014 " + reason));
    }
    boost::system::error_code ec;
    json::value page = json::parse(response.body, ec);
    if (ec || !page.is_object())
      throw GraphFailure("Graph API request failed: HTTP " + std::to_string(response.status) + " with a body that is not JSON");
    auto& o = page.as_object();
    if (auto* value = o.if_contains("value"); value && value->is_array())
      for (auto& item : value->as_array()) items.push_back(std::move(item));
    next.clear();
    if (const auto* link = o.if_contains("@odata.nextLink"); link && link->is_string() && !first_page_only)
      next = std::string(link->get_string());
    retries = 0;
  }
  return items;
}

std::vector<GraphSecureScore> GraphClient::secure_scores(const DefenderCredentials& c) const {
  std::vector<GraphSecureScore> out;
  for (const auto& item : paged_get(c, "/security/secureScores", {{"$top", "90"}, {"$orderby", "createdDateTime desc"}}))
    out.push_back(secure_score_of(item));
  return out;
}

std::vector<GraphControlProfile> GraphClient::control_profiles(const DefenderCredentials& c) const {
  std::vector<GraphControlProfile> out;
  for (const auto& item : paged_get(c, "/security/secureScoreControlProfiles", {})) out.push_back(control_profile_of(item));
  return out;
}

std::vector<GraphAlert> GraphClient::alerts(const DefenderCredentials& c, const AlertWindow& window) const {
  const std::string filter = window.updated_since ? "lastUpdateDateTime ge " + *window.updated_since
                                                  : "createdDateTime ge " + window.created_since;
  std::vector<GraphAlert> out;
  for (const auto& item : paged_get(c, "/security/alerts_v2",
                                    {{"$top", "500"}, {"$orderby", "createdDateTime desc"}, {"$filter", filter}}))
    out.push_back(alert_of(item));
  return out;
}

}  // namespace achilles::graph

namespace achilles::graph {

void GraphClient::write(const DefenderCredentials& c, const std::string& method, const std::string& path,
                        const std::string& body, const std::string& label, const std::string& alert_id) const {
  int retries = 0;
  for (;;) {
    http::OutboundRequest request;
    request.method = method;
    request.url = endpoints_.graph + "/v1.0" + path;
    request.headers = {"Authorization: Bearer " + token(c), "Content-Type: application/json", "Accept: application/json"};
    request.body = body;
    request.may_repeat = method == "PATCH";  // resolving twice harms nothing; a second comment would show
    http::OutboundResponse response;
    try {
      response = client_.send(request);
    } catch (const http::OutboundFailure& e) {
      throw GraphWriteFailure(0, "Graph " + label + " failed: " + e.what());
    }
    if (response.status == 429 && retries < retries_.too_many_requests) {
      ++retries;
      retries_.wait(std::chrono::seconds(retry_after_seconds(response.retry_after, retries_)));
      continue;
    }
    if (response.status == 401 && retries < 1) {
      ++retries;
      forget_token(c);
      continue;
    }
    if (response.status >= 200 && response.status < 300) return;
    const std::string reason = graph_reason(response.body);
    if (response.status == 403)
      throw GraphWriteFailure(403, "Graph " + label +
                                       " forbidden (HTTP 403). Ensure the Azure AD app has 'SecurityAlert.ReadWrite.All' "
                                       "application permission with admin consent granted." +
                                       (reason.empty() ? "" : " Graph said: " + reason));
    if (response.status == 404)
      throw GraphWriteFailure(404, "Graph alert not found (HTTP 404): " + alert_id + ". The alert may have been deleted upstream.");
    throw GraphWriteFailure(static_cast<int>(response.status), "Graph " + label + " failed: HTTP " +
                                                                   std::to_string(response.status) +
                                                                   (reason.empty() ? "" : " \u2014 " + reason));
  }
}

void GraphClient::resolve_alert(const DefenderCredentials& c, const std::string& alert_id) const {
  if (alert_id.empty()) throw GraphFailure("updateAlert: alertId is required");
  // Exactly these three: alerts_v2 ignores comments sent with a PATCH.
  write(c, "PATCH", "/security/alerts_v2/" + percent_encoded(alert_id, false),
        R"({"status":"resolved","classification":"informationalExpectedActivity","determination":"securityTesting"})", "PATCH",
        alert_id);
}

void GraphClient::comment_on_alert(const DefenderCredentials& c, const std::string& alert_id, const std::string& comment) const {
  if (alert_id.empty()) throw GraphFailure("addAlertComment: alertId is required");
  if (comment.empty()) return;
  write(c, "POST", "/security/alerts_v2/" + percent_encoded(alert_id, false) + "/comments",
        json::serialize(json::object{{"@odata.type", "microsoft.graph.security.alertComment"}, {"comment", comment}}),
        "POST comment", alert_id);
}

}  // namespace achilles::graph
