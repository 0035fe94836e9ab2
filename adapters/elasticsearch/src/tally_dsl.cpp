#include "achilles/elasticsearch/tally_dsl.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/query_dsl.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

json::object strict() { return {{"term", json::object{{"f0rtika.is_protected", true}}}}; }

json::object combined() {
  return {{"bool", json::object{{"should", json::array{strict(), json::object{{"term", json::object{{"f0rtika.defender_detected", true}}}}}},
                                {"minimum_should_match", 1}}}};
}

json::object term(std::string_view field, json::value value) {
  return {{"term", json::object{{field, std::move(value)}}}};
}

json::object must_not(json::object clause) {
  return {{"bool", json::object{{"must_not", json::array{std::move(clause)}}}}};
}

// Standalone tests and cyber-hygiene controls: scored per document.
json::object per_doc() {
  json::array should{must_not(term("f0rtika.is_bundle_control", true)), term("f0rtika.category", "cyber-hygiene")};
  return {{"bool", json::object{{"should", std::move(should)}, {"minimum_should_match", 1}}}};
}

// Other bundle controls: one unit per bundle run (bundle_id, hostname).
json::object per_bundle() {
  json::array must{term("f0rtika.is_bundle_control", true), must_not(term("f0rtika.category", "cyber-hygiene"))};
  return {{"bool", json::object{{"must", std::move(must)}}}};
}

std::int64_t count_of(const json::object& o, std::string_view agg) {
  auto it = o.find(agg);
  if (it == o.end() || !it->value().is_object()) return 0;
  auto dc = it->value().get_object().find("doc_count");
  return dc != it->value().get_object().end() && dc->value().is_int64() ? dc->value().get_int64() : 0;
}

const json::object* sub(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

}  // namespace

json::object tally_request(const ResultFilter& filter, ScoringMode mode) {
  json::object body{{"size", 0}, {"query", filter_query(filter)}};
  if (mode == ScoringMode::AllStages) {
    body["track_total_hits"] = true;  // otherwise total stops at 10,000 while the aggs keep counting
    body["aggs"] = json::object{{"combined", json::object{{"filter", combined()}}}, {"strict", json::object{{"filter", strict()}}}};
    return body;
  }
  json::object bundle_key{{"source", "doc['f0rtika.bundle_id'].value + '::' + doc['routing.hostname'].value"},
                          {"lang", "painless"}};
  body["aggs"] = json::object{
      {"per_doc", json::object{{"filter", per_doc()},
                               {"aggs", json::object{{"combined", json::object{{"filter", combined()}}},
                                                     {"strict", json::object{{"filter", strict()}}}}}}},
      {"per_bundle",
       json::object{{"filter", per_bundle()},
                    {"aggs", json::object{{"bundles", json::object{{"terms", json::object{{"script", bundle_key}, {"size", 10000}}},
                                                                   {"aggs", json::object{{"has_combined", json::object{{"filter", combined()}}},
                                                                                         {"has_strict", json::object{{"filter", strict()}}}}}}}}}}}};
  return body;
}

UnitTally tally_response(const json::object& response, ScoringMode mode) {
  UnitTally t;
  const json::object* aggs = sub(response, "aggregations");
  static const json::object kNone;
  if (!aggs) aggs = &kNone;
  if (mode == ScoringMode::AllStages) {
    if (const auto* hits = sub(response, "hits"))
      if (auto it = hits->find("total"); it != hits->end()) {
        if (it->value().is_int64()) t.documents.units = it->value().get_int64();
        else if (it->value().is_object())
          if (auto v = it->value().get_object().find("value"); v != it->value().get_object().end() && v->value().is_int64())
            t.documents.units = v->value().get_int64();
      }
    t.documents.combined = count_of(*aggs, "combined");
    t.documents.strict = count_of(*aggs, "strict");
    return t;
  }
  if (const auto* doc = sub(*aggs, "per_doc")) {
    t.documents.units = count_of(*aggs, "per_doc");
    t.documents.combined = count_of(*doc, "combined");
    t.documents.strict = count_of(*doc, "strict");
  }
  if (const auto* bundle = sub(*aggs, "per_bundle"))
    if (const auto* bundles = sub(*bundle, "bundles"))
      if (auto it = bundles->find("buckets"); it != bundles->end() && it->value().is_array())
        for (const auto& b : it->value().get_array()) {
          if (!b.is_object()) continue;
          ++t.bundle_runs.units;
          t.bundle_runs.combined += count_of(b.get_object(), "has_combined") > 0;
          t.bundle_runs.strict += count_of(b.get_object(), "has_strict") > 0;
        }
  return t;
}

}  // namespace achilles::elasticsearch
