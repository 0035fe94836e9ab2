#include "achilles/elasticsearch/breakdown_dsl.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/query_dsl.hpp"
#include "achilles/errors.hpp"
#include "measures.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

std::string_view dimension_field(const Dimension& d) { return d.exit_code ? "event.ERROR" : field_path(d.field); }

json::object terms_agg(const Dimension& d, std::size_t size, json::object sub_aggs) {
  // ES refuses sizes above its bucket limits; "everything" asks for 65,536.
  const std::int64_t bounded = size > 65'536 ? 65'536 : static_cast<std::int64_t>(size);
  return {{"terms", json::object{{"field", dimension_field(d)}, {"size", bounded}}}, {"aggs", std::move(sub_aggs)}};
}

std::string key_text(const json::value& key) {
  if (key.is_string()) return std::string(key.get_string());
  if (key.is_int64()) return std::to_string(key.get_int64());
  if (key.is_uint64()) return std::to_string(key.get_uint64());
  if (key.is_double()) return std::to_string(static_cast<std::int64_t>(key.get_double()));
  if (key.is_bool()) return key.get_bool() ? "true" : "false";
  return {};
}

const json::array& buckets_of(const json::object* agg) {
  static const json::array kNone;
  if (!agg) return kNone;
  auto it = agg->find("buckets");
  return it != agg->end() && it->value().is_array() ? it->value().get_array() : kNone;
}

std::vector<Bucket> read_buckets(const json::object* agg, const BreakdownQuestion& q, bool nested) {
  std::vector<Bucket> out;
  for (const auto& v : buckets_of(agg)) {
    if (!v.is_object()) continue;
    const auto& b = v.get_object();
    Bucket bucket;
    bucket.key = b.contains("key") ? key_text(b.at("key")) : "";
    bucket.documents = doc_count(b);
    bucket.tally = read_units(b, q.mode);
    if (q.count_unprotected && !nested) bucket.unprotected_documents = count_of(b, "unprotected");
    if (const auto* d = sub(b, "distinct"); d && d->contains("value") && d->at("value").is_int64())
      bucket.distinct = d->at("value").get_int64();
    if (!nested && q.then_by) bucket.sub = read_buckets(sub(b, "then_by"), q, true);
    out.push_back(std::move(bucket));
  }
  return out;
}

}  // namespace

json::object breakdown_request(const ResultFilter& filter, const BreakdownQuestion& q) {
  json::object inner = unit_sub_aggs(q.mode);
  if (q.distinct) inner["distinct"] = json::object{{"cardinality", json::object{{"field", field_path(*q.distinct)}}}};
  if (q.count_unprotected)
    inner["unprotected"] = json::object{{"filter", json::object{{"term", json::object{{"f0rtika.is_protected", false}}}}}};
  if (q.then_by) inner["then_by"] = terms_agg(*q.then_by, q.then_size, unit_sub_aggs(q.mode));
  return {{"size", 0},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"by_dimension", terms_agg(q.dimension, q.size, std::move(inner))}}}};
}

std::vector<Bucket> breakdown_response(const json::object& response, const BreakdownQuestion& q) {
  const json::object* aggs = sub(response, "aggregations");
  return read_buckets(aggs ? sub(*aggs, "by_dimension") : nullptr, q, false);
}

json::object key_pairs_request(const ResultFilter& filter, const KeyPairQuestion& q) {
  // The original's composite aggregation: its first page is exactly the
  // answer, and it never builds more buckets than `size`.
  auto source = [](KeywordField f) { return json::object{{"terms", json::object{{"field", field_path(f)}}}}; };
  json::array sources{json::object{{"first", source(q.first)}}, json::object{{"second", source(q.second)}}};
  return {{"size", 0},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"pairs", json::object{{"composite", json::object{{"size", static_cast<std::int64_t>(q.size)},
                                                                                {"sources", std::move(sources)}}}}}}}};
}

std::vector<KeyPairBucket> key_pairs_response(const json::object& response) {
  const json::object* aggs = sub(response, "aggregations");
  std::vector<KeyPairBucket> out;
  for (const auto& v : buckets_of(aggs ? sub(*aggs, "pairs") : nullptr)) {
    const auto* b = v.if_object();
    const auto* key = b ? b->if_contains("key") : nullptr;
    if (!key || !key->is_object()) continue;
    const auto& k = key->get_object();
    out.push_back({k.contains("first") ? key_text(k.at("first")) : "", k.contains("second") ? key_text(k.at("second")) : "",
                   doc_count(*b)});
  }
  return out;
}

json::object histogram_request(const ResultFilter& filter, const HistogramQuestion& q) {
  static constexpr const char* kIntervals[] = {"minute", "hour", "day", "week", "month", "quarter", "year"};
  json::object inner = unit_sub_aggs(q.mode);
  for (std::size_t k = 0; k < q.code_sets.size(); ++k) {
    json::array codes;
    for (auto c : q.code_sets[k]) codes.emplace_back(c);
    inner["code_set_" + std::to_string(k)] =
        json::object{{"filter", json::object{{"terms", json::object{{"event.ERROR", std::move(codes)}}}}}};
  }
  json::object histogram{{"field", "routing.event_time"},
                         {"calendar_interval", kIntervals[static_cast<int>(q.interval)]},
                         {"min_doc_count", 0}};
  return {{"size", 0},
          {"query", filter_query(filter)},
          {"aggs", json::object{{"over_time", json::object{{"date_histogram", std::move(histogram)}, {"aggs", std::move(inner)}}}}}};
}

std::vector<TimeBucket> histogram_response(const json::object& response, const HistogramQuestion& q) {
  const json::object* aggs = sub(response, "aggregations");
  std::vector<TimeBucket> out;
  for (const auto& v : buckets_of(aggs ? sub(*aggs, "over_time") : nullptr)) {
    if (!v.is_object()) continue;
    const auto& b = v.get_object();
    TimeBucket tb;
    if (auto it = b.find("key"); it != b.end() && it->value().is_number()) tb.start_ms = it->value().to_number<std::int64_t>();
    tb.documents = doc_count(b);
    tb.tally = read_units(b, q.mode);
    for (std::size_t k = 0; k < q.code_sets.size(); ++k) tb.code_set_documents.push_back(count_of(b, "code_set_" + std::to_string(k)));
    if (out.size() == q.max_buckets) throw InvalidArgument(too_many_buckets_message(q.max_buckets));
    out.push_back(std::move(tb));
  }
  return out;
}

}  // namespace achilles::elasticsearch
