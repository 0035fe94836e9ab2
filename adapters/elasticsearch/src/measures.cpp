#include "measures.hpp"

#include "achilles/scoring/scoring_unit.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;

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
  json::array should{must_not(term("f0rtika.is_bundle_control", true)), term("f0rtika.category", json::string(kCyberHygieneCategory))};
  return {{"bool", json::object{{"should", std::move(should)}, {"minimum_should_match", 1}}}};
}

// Other bundle controls: one unit per bundle run (bundle_id, hostname).
json::object per_bundle() {
  json::array must{term("f0rtika.is_bundle_control", true), must_not(term("f0rtika.category", json::string(kCyberHygieneCategory)))};
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

std::int64_t doc_count(const json::object& o) {
  auto it = o.find("doc_count");
  return it != o.end() && it->value().is_int64() ? it->value().get_int64() : 0;
}

json::object unit_sub_aggs(ScoringMode mode) {
  if (mode == ScoringMode::AllStages)
    return {{"combined", json::object{{"filter", combined()}}}, {"strict", json::object{{"filter", strict()}}}};
  json::object bundle_key{{"source", "doc['f0rtika.bundle_id'].value + '::' + doc['routing.hostname'].value"},
                          {"lang", "painless"}};
  return {{"per_doc", json::object{{"filter", per_doc()},
                                   {"aggs", json::object{{"combined", json::object{{"filter", combined()}}},
                                                         {"strict", json::object{{"filter", strict()}}}}}}},
          {"per_bundle",
           json::object{{"filter", per_bundle()},
                        {"aggs", json::object{{"bundles", json::object{{"terms", json::object{{"script", bundle_key}, {"size", 10000}}},
                                                                       {"aggs", json::object{{"has_combined", json::object{{"filter", combined()}}},
                                                                                             {"has_strict", json::object{{"filter", strict()}}}}}}}}}}}};
}

UnitTally read_units(const json::object& bucket, ScoringMode mode) {
  UnitTally t;
  if (mode == ScoringMode::AllStages) {
    t.documents.units = doc_count(bucket);
    t.documents.combined = count_of(bucket, "combined");
    t.documents.strict = count_of(bucket, "strict");
    return t;
  }
  if (const auto* doc = sub(bucket, "per_doc")) {
    t.documents.units = count_of(bucket, "per_doc");
    t.documents.combined = count_of(*doc, "combined");
    t.documents.strict = count_of(*doc, "strict");
  }
  if (const auto* bundle = sub(bucket, "per_bundle"))
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
