#include "achilles/elasticsearch/query_dsl.hpp"

#include "achilles/query/keyword_fields.hpp"
#include "achilles/scoring/scoring_unit.hpp"

#include <boost/json.hpp>

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

json::object term(std::string_view field, json::value value) {
  return {{"term", json::object{{field, std::move(value)}}}};
}

json::object any_of(json::array should) {
  return {{"bool", json::object{{"should", std::move(should)}, {"minimum_should_match", 1}}}};
}

json::array codes(const std::vector<std::int64_t>& list) {
  json::array a;
  for (auto c : list) a.emplace_back(c);
  return a;
}

json::object keyword_clause(const KeywordClause& clause) {
  json::array terms;
  for (const auto& value : clause.values)
    for (KeywordField f : clause.fields) terms.push_back(term(field_path(f), json::value(value)));
  if (terms.size() == 1) return terms[0].as_object();
  return any_of(std::move(terms));
}

// Inclusion is `terms` (the original's CONCL, protected and errorCodes); the
// unprotected result is a bare `term`, kept for parity.
json::object code_clause(const ExitCodeClause& clause) {
  json::object in = clause.codes.size() == 1 && !clause.negated
                        ? term("event.ERROR", clause.codes[0])
                        : json::object{{"terms", json::object{{"event.ERROR", codes(clause.codes)}}}};
  if (!clause.negated) return in;
  return {{"bool", json::object{{"must_not", std::move(in)}}}};  // an object, as the original writes it
}

json::object exclusion_clause(const RiskExclusion& ex) {
  if (!ex.hostname && !ex.control_id) return term("f0rtika.test_name", json::value(ex.test_name));
  json::array must{term("f0rtika.test_name", json::value(ex.test_name))};
  if (ex.hostname) must.push_back(term("routing.hostname", json::value(*ex.hostname)));
  if (ex.control_id) must.push_back(term("f0rtika.control_id", json::value(*ex.control_id)));
  return {{"bool", json::object{{"must", std::move(must)}}}};
}

json::object run_clause(const RunSelector& run) {
  json::object time{{"range", json::object{{"routing.event_time", json::object{{"gte", run.event_time_ms},
                                                                               {"lt", run.event_time_ms + 1},
                                                                               {"format", "epoch_millis"}}}}}};
  json::array filter;
  filter.push_back(term(run.bundle ? "f0rtika.bundle_id" : "f0rtika.test_uuid", json::value(run.id)));
  filter.push_back(term("routing.hostname", json::value(run.hostname)));
  if (!run.bundle)
    filter.push_back(json::object{{"bool", json::object{{"must_not", json::array{term("f0rtika.is_bundle_control", true)}}}}});
  filter.push_back(std::move(time));
  return {{"bool", json::object{{"filter", std::move(filter)}}}};
}

}  // namespace

std::string_view field_path(KeywordField f) { return source_path(f); }

json::object filter_query(const ResultFilter& f) {
  json::array filter;
  if (f.test_data_only)
    filter.push_back(json::object{{"bool", json::object{{"must", json::array{
                                                                     json::object{{"exists", json::object{{"field", "f0rtika.test_uuid"}}}},
                                                                     json::object{{"exists", json::object{{"field", "f0rtika.test_name"}}}}}}}}});
  if (f.requires_event_time) {
    json::object range;
    if (f.from_ms) range["gte"] = *f.from_ms;
    if (f.to_ms) range["lte"] = *f.to_ms;
    if (range.empty())
      filter.push_back(json::object{{"exists", json::object{{"field", "routing.event_time"}}}});
    else {
      range["format"] = "epoch_millis";
      filter.push_back(json::object{{"range", json::object{{"routing.event_time", std::move(range)}}}});
    }
  }
  for (const auto& clause : f.exit_codes) filter.push_back(code_clause(clause));
  for (const auto& clause : f.keywords) filter.push_back(keyword_clause(clause));
  if (f.attack_simulation_only)
    filter.push_back(json::object{
        {"bool", json::object{{"must_not", json::array{term("f0rtika.category", json::string(kCyberHygieneCategory)),
                                                       json::object{{"bool", json::object{{"must", json::array{
                                                                                                 term("f0rtika.is_bundle_control", true),
                                                                                                 term("event.ERROR", kSkippedStageCode)}}}}}}}}}});
  if (!f.exclusions.empty()) {
    json::array not_these;
    for (const auto& ex : f.exclusions) not_these.push_back(exclusion_clause(ex));
    filter.push_back(json::object{{"bool", json::object{{"must_not", std::move(not_these)}}}});
  }
  if (!f.runs.empty()) {
    json::array runs;
    for (const auto& run : f.runs) runs.push_back(run_clause(run));
    filter.push_back(any_of(std::move(runs)));
  }
  return {{"bool", json::object{{"filter", std::move(filter)}}}};
}

}  // namespace achilles::elasticsearch
