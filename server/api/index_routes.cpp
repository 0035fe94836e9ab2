#include "api/index_routes.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/results_mapping.hpp"
#include "achilles/errors.hpp"
#include "api/json_body.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

std::shared_ptr<elasticsearch::ElasticsearchResultsIndex> cluster_of(const LiveResults& results) {
  auto backend = results.current();
  if (!backend->problem.empty()) throw BackendUnavailable(backend->problem);
  if (!backend->elasticsearch)
    throw InvalidArgument("Elasticsearch is not configured. Configure it in Analytics Settings first.");
  return backend->elasticsearch;
}

bool valid_index_name(std::string_view name) {
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !allowed(name[0])) return false;
  for (char c : name)
    if (!allowed(c) && c != '-') return false;
  return true;
}

[[noreturn]] void refuse(std::string message) {
  throw ValidationFailed(std::vector<ValidationIssue>{{"index_name", std::move(message)}});
}

std::string index_name_from(const json::object& body) {
  auto it = body.find("index_name");
  if (it == body.end())
    refuse("Invalid input: expected string, received undefined");
  if (!it->value().is_string()) refuse("Invalid input: expected string");
  std::string name(it->value().get_string());
  if (name.empty()) refuse("index_name is required");
  if (!valid_index_name(name))
    refuse("Must be lowercase, start with a letter or digit, and contain only letters, digits, and hyphens");
  return name;
}

}  // namespace

std::vector<Route> index_routes(const LiveResults& results) {
  std::vector<Route> r;
  r.push_back({"GET", "/api/analytics/indices", {Permission::AnalyticsDashboardsRead}, [&results](const RouteCall& c) -> JsonReply {
                 // The original lists its default pattern, not the configured one.
                 std::string pattern = param_value(c.query, "pattern").value_or("");
                 if (pattern.empty()) pattern = "achilles-results-*";
                 json::array indices;
                 for (const auto& i : cluster_of(results)->cluster().indices(pattern))
                   indices.push_back(json::object{{"name", i.name}, {"docsCount", i.docs_count}, {"storeSize", i.store_size},
                                                  {"status", i.health}});
                 return json::object{{"success", true}, {"indices", std::move(indices)}};
               }});
  r.push_back({"POST", "/api/analytics/index/create", {Permission::AnalyticsDashboardsRead, Permission::AnalyticsIndexCreate},
               [&results](const RouteCall& c) -> JsonReply {
                 const std::string name = index_name_from(json_object_body(c.request));
                 const bool created = cluster_of(results)->cluster().create_index(name, elasticsearch::results_index_body());
                 return json::object{{"success", true},
                                     {"created", created},
                                     {"message", "Index \"" + name + (created ? "\" created successfully" : "\" already exists")}};
               }});
  return r;
}

}  // namespace achilles::server
