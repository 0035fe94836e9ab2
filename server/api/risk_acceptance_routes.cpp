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

json::object one(const RiskAcceptance& r) { return {{"success", true}, {"data", risk_acceptance_json(r)}}; }

json::array many(const std::vector<RiskAcceptance>& records) {
  json::array out;
  for (const auto& r : records) out.push_back(risk_acceptance_json(r));
  return out;
}

std::int64_t int_param(const QueryParams& q, std::string_view key, std::int64_t fallback) {
  auto text = param_value(q, key);
  if (!text || text->empty()) return fallback;
  auto value = js_parse_int(*text);
  if (!value) throw InvalidArgument("Invalid '" + std::string(key) + "': not a number");
  return *value;
}

}  // namespace

// The router takes the first match in this order: the literal `lookup` path
// comes before the `:id` patterns so that it can never be read as an id.
std::vector<Route> risk_acceptance_routes(RiskAcceptanceService& service) {
  std::vector<Route> r;
  r.push_back({"POST", "/api/risk-acceptances", {kWrite}, [&service](const RouteCall& c) -> JsonReply {
                 return {201, one(service.accept(accept_risk_request(json_object_body(c.request)), c.caller))};
               }});
  r.push_back({"GET", "/api/risk-acceptances", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 const auto page = service.list(param_value(c.query, "status").value_or(""),
                                                param_value(c.query, "test_name").value_or(""),
                                                int_param(c.query, "page", 1),
                                                int_param(c.query, "pageSize", RiskAcceptanceService::kDefaultPageSize),
                                                c.caller);
                 return json::object{{"success", true}, {"data", many(page.data)}, {"total", page.total}};
               }});
  r.push_back({"POST", "/api/risk-acceptances/lookup", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 json::object data;
                 for (const auto& [name, records] : service.lookup(lookup_test_names(json_object_body(c.request)), c.caller))
                   data[name] = many(records);
                 return json::object{{"success", true}, {"data", std::move(data)}};
               }});
  r.push_back({"POST", "/api/risk-acceptances/:id/revoke", {kWrite}, [&service](const RouteCall& c) -> JsonReply {
                 return one(service.revoke(c.param("id"), revoke_reason(json_object_body(c.request)), c.caller));
               }});
  r.push_back({"GET", "/api/risk-acceptances/:id", {kRead}, [&service](const RouteCall& c) -> JsonReply {
                 return one(service.get(c.param("id"), c.caller));
               }});
  return r;
}

}  // namespace achilles::server
