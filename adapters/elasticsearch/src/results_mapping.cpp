#include "achilles/elasticsearch/results_mapping.hpp"

#include <boost/json.hpp>

namespace achilles::elasticsearch {
namespace json = boost::json;

json::value results_index_body() {
  auto typed = [](std::initializer_list<std::pair<const char*, const char*>> fields) {
    json::object o;
    for (const auto& [name, type] : fields) o[name] = json::object{{"type", type}};
    return o;
  };
  json::object routing = typed({{"event_time", "date"}, {"oid", "keyword"}, {"hostname", "keyword"}});
  json::object f0rtika = typed({{"test_uuid", "keyword"},         {"test_name", "keyword"},
                                {"is_protected", "boolean"},      {"error_name", "keyword"},
                                {"category", "keyword"},          {"subcategory", "keyword"},
                                {"severity", "keyword"},          {"techniques", "keyword"},
                                {"tactics", "keyword"},           {"target", "keyword"},
                                {"complexity", "keyword"},        {"threat_actor", "keyword"},
                                {"tags", "keyword"},              {"score", "float"},
                                {"bundle_id", "keyword"},         {"bundle_name", "keyword"},
                                {"control_id", "keyword"},        {"control_validator", "keyword"},
                                {"is_bundle_control", "boolean"}, {"defender_detected", "boolean"},
                                {"defender_stage_detected", "boolean"}, {"tenant_label", "keyword"}});
  json::object event = typed({{"ERROR", "integer"}});
  return json::object{{"mappings", json::object{{"properties", json::object{{"routing", json::object{{"properties", std::move(routing)}}},
                                                                             {"f0rtika", json::object{{"properties", std::move(f0rtika)}}},
                                                                             {"event", json::object{{"properties", std::move(event)}}}}}}}};
}

}  // namespace achilles::elasticsearch
