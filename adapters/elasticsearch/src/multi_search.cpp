#include "achilles/elasticsearch/multi_search.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;

std::string multi_search_body(const std::vector<json::object>& bodies) {
  std::string ndjson;
  for (const auto& body : bodies) {
    ndjson += "{}\n";
    ndjson += json::serialize(body);
    ndjson += '\n';
  }
  return ndjson;
}

std::vector<json::object> multi_search_each(const EsCluster& cluster, const std::string& pattern,
                                            const std::vector<json::object>& bodies) {
  json::value answer = cluster.call_ndjson("/" + index_segment(pattern) + "/_msearch", multi_search_body(bodies), Idempotent::Yes);
  auto* responses = answer.is_object() && answer.get_object().contains("responses")
                        ? answer.get_object().at("responses").if_array()
                        : nullptr;
  if (!responses || responses->size() != bodies.size())
    throw BackendUnavailable("Elasticsearch answered a multi-search without one response per search");
  std::vector<json::object> out;
  out.reserve(bodies.size());
  for (auto& item : *responses) {
    auto* o = item.if_object();
    if (!o) throw BackendUnavailable("Elasticsearch answered a multi-search with a response that is not an object");
    out.push_back(std::move(*o));
  }
  return out;
}

std::vector<json::object> multi_search(const EsCluster& cluster, const std::string& pattern,
                                       const std::vector<json::object>& bodies) {
  auto out = multi_search_each(cluster, pattern, bodies);
  for (const auto& o : out) {
    if (const auto* error = o.if_contains("error")) {
      const auto* status = o.if_contains("status");
      const std::int64_t code = status && status->is_number() ? status->to_number<std::int64_t>() : 500;
      const std::string text = es_error_text(json::serialize(json::object{{"error", *error}}));
      if (code >= 400 && code < 500) throw BackendRejected(text);
      throw BackendUnavailable("Elasticsearch failed with status " + std::to_string(code) + ": " + text);
    }
  }
  return out;
}

}  // namespace achilles::elasticsearch
