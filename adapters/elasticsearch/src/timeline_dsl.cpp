#include "achilles/elasticsearch/timeline_dsl.hpp"

#include "achilles/elasticsearch/query_dsl.hpp"
#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;

json::object timeline_page_request(const ResultFilter& filter, bool with_hosts, const json::object* after) {
  auto terms = [](std::string_view field, bool missing_bucket) {
    json::object t{{"field", field}};
    if (missing_bucket) t["missing_bucket"] = true;
    return json::object{{"terms", std::move(t)}};
  };
  json::array sources{json::object{{"technique", terms(field_path(KeywordField::Techniques), false)}},
                      json::object{{"time", terms("routing.event_time", false)}}};
  // A document with no host still counts as an execution (it matches no host).
  if (with_hosts) sources.push_back(json::object{{"host", terms(field_path(KeywordField::Hostname), true)}});
  json::object composite{{"size", kTimelinePage}, {"sources", std::move(sources)}};
  if (after) composite["after"] = *after;
  return {{"size", 0},
          {"track_total_hits", false},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"timeline", json::object{{"composite", std::move(composite)}}}}}};
}

std::optional<json::object> TimelineBuilder::add_page(const json::object& response) {
  const auto* aggs = response.if_contains("aggregations");
  const auto* timeline = aggs && aggs->is_object() ? aggs->get_object().if_contains("timeline") : nullptr;
  const auto* buckets = timeline && timeline->is_object() ? timeline->get_object().if_contains("buckets") : nullptr;
  if (!buckets || !buckets->is_array()) throw BackendUnavailable("Elasticsearch answered a composite aggregation without buckets");
  for (const auto& b : buckets->get_array()) {
    const auto* bucket = b.if_object();
    const auto* key = bucket ? bucket->if_contains("key") : nullptr;
    if (!key || !key->is_object()) continue;
    const auto& k = key->get_object();
    const auto* technique = k.if_contains("technique");
    const auto* time = k.if_contains("time");
    if (!technique || !technique->is_string() || technique->get_string().empty() || !time || !time->is_number()) continue;
    const auto count = bucket->at("doc_count").to_number<std::int64_t>();
    auto& te = techniques_[std::string(technique->get_string())];
    te.technique = technique->get_string();
    std::uint32_t host = 0;
    if (with_hosts_) {
      const auto* h = k.if_contains("host");
      const std::string name = h && h->is_string() ? std::string(h->get_string()) : std::string();
      auto [it, added] = host_ids_.try_emplace(name, static_cast<std::uint32_t>(hosts_.size()));
      if (added) hosts_.push_back(name);
      host = it->second;
    }
    for (std::int64_t i = 0; i < count; ++i) {
      te.times_ms.push_back(time->to_number<std::int64_t>());
      if (with_hosts_) te.host_ids.push_back(host);
    }
  }
  const auto* after = timeline->get_object().if_contains("after_key");
  if (buckets->get_array().size() < static_cast<std::size_t>(kTimelinePage) || !after || !after->is_object()) return std::nullopt;
  return after->get_object();
}

ExecutionTimeline TimelineBuilder::finish() {
  ExecutionTimeline out;
  for (auto& [t, te] : techniques_) out.techniques.push_back(std::move(te));
  out.hosts = std::move(hosts_);
  return out;
}

}  // namespace achilles::elasticsearch
