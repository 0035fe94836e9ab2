#include "achilles/elasticsearch/detection_marks_dsl.hpp"

#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

json::object term(const char* field, json::value v) { return {{"term", json::object{{field, std::move(v)}}}}; }
json::object exists(const char* field) { return {{"exists", json::object{{"field", field}}}}; }
json::object since(std::int64_t ms) {
  return {{"range", json::object{{"routing.event_time", json::object{{"gte", ms}, {"format", "epoch_millis"}}}}}};
}

}  // namespace

json::object undetected_request(std::int64_t from_ms, std::int64_t stage_recheck_from_ms, std::size_t limit,
                                const std::optional<ExecutionCursor>& after) {
  json::object stage_pending{
      {"bool", json::object{{"must_not", json::array{term("f0rtika.defender_stage_detected", true)}},
                            {"filter", json::array{exists("f0rtika.control_id"), since(stage_recheck_from_ms)}}}}};
  json::array filter{
      since(from_ms),
      json::object{{"terms", json::object{{"event.ERROR", json::array{101, 105, 126, 127}}}}},
      json::object{{"bool", json::object{{"must_not", json::array{term("f0rtika.category", "cyber-hygiene")}}}}},
      exists("f0rtika.test_uuid"),
      exists("routing.hostname"),
      json::object{{"bool", json::object{{"should", json::array{json::object{{"bool", json::object{{"must_not", json::array{term("f0rtika.defender_detected", true)}}}}},
                                                                std::move(stage_pending)}},
                                         {"minimum_should_match", 1}}}}};
  json::object body{{"size", limit},
                    {"track_total_hits", false},
                    {"_source", json::array{"f0rtika.test_uuid", "routing.event_time", "routing.hostname", "f0rtika.bundle_name",
                                            "f0rtika.control_id", "f0rtika.defender_detected", "f0rtika.defender_stage_detected"}},
                    {"query", json::object{{"bool", json::object{{"filter", std::move(filter)}}}}},
                    {"sort", json::array{json::object{{"routing.event_time", json::object{{"order", "desc"}}}}}}};
  if (after) body["search_after"] = json::array{after->event_time_ms};
  return body;
}

std::vector<UndetectedExecution> undetected_response(const json::object& response) {
  const auto* hits = hits_in(response);
  if (!hits) throw BackendUnavailable("Elasticsearch answered the enrichment scan without hits");
  std::vector<UndetectedExecution> out;
  for (const auto& hit : *hits) {
    const auto* h = hit.if_object();
    if (!h) continue;
    const ResultDocument d = document_of_hit(*h);
    if (!d.event_time_ms) continue;
    UndetectedExecution e;
    e.id = d.id;
    if (const auto* index = h->if_contains("_index"); index && index->is_string()) e.index = index->get_string();
    e.event_time_ms = *d.event_time_ms;
    auto first = [](const Keywords& k) { return k.values().empty() ? std::string() : k.values().front(); };
    e.fields = {first(d.test_uuid), d.event_time_text, first(d.hostname), first(d.bundle_name), first(d.control_id)};
    e.detected = d.defender_detected;
    e.stage_detected = d.defender_stage_detected;
    out.push_back(std::move(e));
  }
  return out;
}

std::string detection_marks_bulk(std::span<const DetectionMark> marks) {
  std::string ndjson;
  for (const auto& m : marks) {
    json::object flags;
    if (m.detected) flags["defender_detected"] = true;
    if (m.stage_detected) flags["defender_stage_detected"] = true;
    ndjson += json::serialize(json::object{{"update", json::object{{"_index", m.index}, {"_id", m.id}}}}) + "\n";
    ndjson += json::serialize(json::object{{"doc", json::object{{"f0rtika", std::move(flags)}}}}) + "\n";
  }
  return ndjson;
}

}  // namespace achilles::elasticsearch
