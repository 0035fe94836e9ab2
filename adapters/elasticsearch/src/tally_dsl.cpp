#include "achilles/elasticsearch/tally_dsl.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/query_dsl.hpp"
#include "measures.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;

json::object tally_request(const ResultFilter& filter, ScoringMode mode) {
  json::object body{{"size", 0}, {"query", filter_query(filter)}, {"aggs", unit_sub_aggs(mode)}};
  // All-stages counts hits: without this the total stops at 10,000 while the aggs keep counting.
  if (mode == ScoringMode::AllStages) body["track_total_hits"] = true;
  return body;
}

UnitTally tally_response(const json::object& response, ScoringMode mode) {
  static const json::object kNone;
  const json::object* aggs = sub(response, "aggregations");
  UnitTally t = read_units(aggs ? *aggs : kNone, mode);
  if (mode == ScoringMode::AllStages) {
    t.documents.units = 0;
    if (const auto* hits = sub(response, "hits"))
      if (auto it = hits->find("total"); it != hits->end()) {
        if (it->value().is_int64()) t.documents.units = it->value().get_int64();
        else if (const auto* total = it->value().if_object(); total && total->contains("value") && total->at("value").is_int64())
          t.documents.units = total->at("value").get_int64();
      }
  }
  return t;
}

}  // namespace achilles::elasticsearch
