#include "api/risk_acceptance_routes.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/filter_params.hpp"
#include "api/json_body.hpp"
#include "codec/risk_acceptance_json.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

constexpr Permission kRead = Permission::AnalyticsRiskRead;
constexpr Permission kWrite = Permission::AnalyticsRiskWrite;

json::object wrap(const RiskAcceptance& r) { return {{"success", true}, {"data", risk_acceptance_json(r)}}; }

std::int64_t int_param(const QueryParams& q, std::string_view key, std::int64_t fallback) {
  auto text = param_value(q, key);
  if (!text || text->empty()) return fallback;
  auto value = js_parse_int(*text);
  if (!value) throw InvalidArgument("Invalid '" + std::string(key) + "': not a number");
  return *value;
}

}  // namespace

std::vector<Route> risk_acceptance_routes(RiskAcceptanceService& service) {
  std::vector<Route> r;
  r.push_back({"POST", "/api/risk-acceptances", {kWrite}, [&service](const RouteCall& c) -> JsonReply {
                 return {201, wrap(service.accept(accept_risk_request(json_object_body(c.request)), c.caller))};
               }});
  r.push_back({"POST", "/api/risk-acceptances/lookup", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 const auto body = json_object_body(c.request);
                 auto it = body.find("test_names");
                 if (it == body.end() || !it->value().is_array())
                   throw ValidationFailed(std::vector<ValidationIssue>{{"test_names", "Invalid input: expected array"}});
                 std::vector<std::string> names;
                 for (const auto& v : it->value().get_array()) {
                   if (!v.is_string())
                     throw ValidationFailed(std::vector<ValidationIssue>{{"test_names", "Invalid input: expected string"}});
                   names.emplace_back(v.get_string());
                 }
                 json::object data;
                 for (const auto& [name, records] : service.lookup(names, c.caller)) {
                   json::array list;
                   for (const auto& rec : records) list.push_back(risk_acceptance_json(rec));
                   data[name] = std::move(list);
                 }
                 return json::object{{"success", true}, {"data", std::move(data)}};
               }});
  r.push_back({"POST", "/api/risk-acceptances/:id/revoke", {kWrite}, [&service](const RouteCall& c) -> JsonReply {
                 const auto body = json_object_body(c.request);
                 auto it = body.find("reason");
                 if (it == body.end() || !it->value().is_string())
                   throw ValidationFailed(std::vector<ValidationIssue>{{"reason", "Invalid input: expected string"}});
                 return wrap(service.revoke(c.param("id"), std::string(it->value().get_string()), c.caller));
               }});
  r.push_back({"GET", "/api/risk-acceptances", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 const auto page = service.list(param_value(c.query, "status").value_or(""),
                                                param_value(c.query, "test_name").value_or(""),
                                                int_param(c.query, "page", 1), int_param(c.query, "pageSize", 50), c.caller);
                 json::array data;
                 for (const auto& rec : page.data) data.push_back(risk_acceptance_json(rec));
                 return json::object{{"success", true}, {"data", std::move(data)}, {"total", page.total}};
               }});
  r.push_back({"GET", "/api/risk-acceptances/:id", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 return wrap(service.get(c.param("id"), c.caller));
               }});
  return r;
}

}  // namespace achilles::server
