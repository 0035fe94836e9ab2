#include "achilles/elasticsearch/page_dsl.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "achilles/elasticsearch/painless_scripts.hpp"
#include "achilles/elasticsearch/query_dsl.hpp"
#include "achilles/elasticsearch/result_source.hpp"
#include "achilles/errors.hpp"
#include "measures.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

std::string_view sort_path(SortField f) {
  switch (f) {
    case SortField::EventTime: return "routing.event_time";
    case SortField::TestName: return "f0rtika.test_name";
    case SortField::Hostname: return "routing.hostname";
    case SortField::IsProtected: return "f0rtika.is_protected";
    case SortField::Severity: return "f0rtika.severity";
    case SortField::Category: return "f0rtika.category";
    case SortField::ThreatActor: return "f0rtika.threat_actor";
    case SortField::Complexity: return "f0rtika.complexity";
    case SortField::Score: return "f0rtika.score";
  }
  return "routing.event_time";
}

json::array sort_of(const PageQuestion& q) {
  return json::array{json::object{
      {sort_path(q.sort), json::object{{"order", q.descending ? "desc" : "asc"}, {"missing", "_last"}}}}};
}

json::object script(std::string_view source) { return {{"source", source}, {"lang", "painless"}}; }

std::int64_t total_of(const json::object& hits) {
  auto it = hits.find("total");
  if (it == hits.end()) return 0;
  if (it->value().is_number()) return it->value().to_number<std::int64_t>();
  if (const auto* o = it->value().if_object(); o && o->contains("value") && o->at("value").is_number())
    return o->at("value").to_number<std::int64_t>();
  return 0;
}


std::int64_t value_of(const json::object* agg) {
  if (!agg) return 0;
  auto it = agg->find("value");
  if (it == agg->end()) return 0;
  // max on a date answers a double of epoch milliseconds
  if (it->value().is_double()) return static_cast<std::int64_t>(std::llround(it->value().get_double()));
  return it->value().is_number() ? it->value().to_number<std::int64_t>() : 0;
}

}  // namespace

ResultDocument document_of_hit(const json::object& hit) {
  ResultDocument d;
  if (const auto* source = sub(hit, "_source")) {
    if (auto reason = decode_result_source(*source, d))
      throw BackendRejected("Elasticsearch returned a result document that does not read: " + *reason);
  }
  if (auto it = hit.find("_id"); it != hit.end() && it->value().is_string()) d.id = std::string(it->value().get_string());
  return d;
}

json::object distinct_request(const ResultFilter& filter, KeywordField field) {
  return {{"size", 0},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"distinct", json::object{{"cardinality", json::object{{"field", field_path(field)},
                                                                                         {"precision_threshold", 40000}}}}}}}};
}

std::int64_t distinct_response(const json::object& response) {
  const json::object* aggs = sub(response, "aggregations");
  return value_of(aggs ? sub(*aggs, "distinct") : nullptr);
}

json::object page_request(const ResultFilter& filter, const PageQuestion& q) {
  if (q.offset + q.limit > kMaxResultWindow)
    throw InvalidArgument("Elasticsearch pages stop at the first 10,000 results: narrow the filter or the page");
  return {{"query", filter_query(filter)},
          {"from", q.offset},
          {"size", q.limit},
          {"sort", sort_of(q)},
          {"track_total_hits", true}};
}

json::object pit_page_request(const ResultFilter& filter, const PageQuestion& q, const std::string& pit_id, std::size_t size,
                              const json::array* search_after, bool with_source, bool count_total) {
  json::array sort = sort_of(q);
  sort.push_back(json::object{{"_shard_doc", "asc"}});
  json::object body{{"query", filter_query(filter)},
                    {"size", size},
                    {"sort", std::move(sort)},
                    {"pit", json::object{{"id", pit_id}, {"keep_alive", "1m"}}},
                    {"track_total_hits", count_total}};
  if (!with_source) body["_source"] = false;
  if (search_after) body["search_after"] = *search_after;
  return body;
}

const json::array* hits_in(const json::object& response) {
  const json::object* hits = sub(response, "hits");
  if (!hits) return nullptr;
  auto it = hits->find("hits");
  return it != hits->end() ? it->value().if_array() : nullptr;
}

const json::array* last_sort_values(const json::array& hits) {
  if (hits.empty() || !hits.back().is_object()) return nullptr;
  const auto& last = hits.back().get_object();
  auto it = last.find("sort");
  return it != last.end() ? it->value().if_array() : nullptr;
}

DocumentPage page_response(const json::object& response) {
  DocumentPage page;
  const json::object* hits = sub(response, "hits");
  if (hits) page.total = total_of(*hits);
  if (const auto* list = hits_in(response))
    for (const auto& hit : *list)
      if (hit.is_object()) page.documents.push_back(document_of_hit(hit.get_object()));
  return page;
}

json::object run_page_request(const ResultFilter& filter, const PageQuestion& q) {
  const std::size_t wanted = q.offset + q.limit;
  if (wanted > 65'536) throw InvalidArgument("Elasticsearch run pages stop at the first 65,536 runs: narrow the filter or the page");
  json::object members{{"top_hits", json::object{{"size", kMaxRunMembers}, {"sort", sort_of(q)}, {"_source", true}}}};
  json::object runs{
      {"terms", json::object{{"script", script(kRunGroupKey)},
                             {"size", wanted},
                             // Elasticsearch breaks ties of any order by key, ascending.
                             {"order", json::object{{"latest", q.descending ? "desc" : "asc"}}}}},
      {"aggs", json::object{{"members", std::move(members)},
                            {"latest", json::object{{"max", json::object{{"field", "routing.event_time"}}}}}}}};
  return {{"size", 0},
          {"track_total_hits", true},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"run_count", json::object{{"cardinality", json::object{{"script", script(kRunGroupKey)},
                                                                                         {"precision_threshold", 40000}}}}},
                                {"runs", std::move(runs)}}}};
}

RunPage run_page_response(const json::object& response, const PageQuestion& q) {
  RunPage page;
  if (const auto* hits = sub(response, "hits")) page.total_documents = total_of(*hits);
  const json::object* aggs = sub(response, "aggregations");
  if (!aggs) return page;
  page.total_runs = value_of(sub(*aggs, "run_count"));
  const json::object* runs = sub(*aggs, "runs");
  if (!runs || !runs->contains("buckets") || !runs->at("buckets").is_array()) return page;
  const auto& buckets = runs->at("buckets").get_array();
  for (std::size_t i = q.offset; i < buckets.size() && i < q.offset + q.limit; ++i) {
    if (!buckets[i].is_object()) continue;
    const auto& b = buckets[i].get_object();
    RunGroup group;
    if (auto it = b.find("key"); it != b.end() && it->value().is_string()) group.key = std::string(it->value().get_string());
    group.bundle = group.key.starts_with("bundle::");
    group.latest_ms = value_of(sub(b, "latest"));
    if (const auto* members = sub(b, "members"))
      if (const auto* list = hits_in(*members))
        for (const auto& hit : *list)
          if (hit.is_object()) group.members.push_back(document_of_hit(hit.get_object()));
    page.runs.push_back(std::move(group));
  }
  return page;
}

}  // namespace achilles::elasticsearch
