#include "achilles/elasticsearch/alert_query_dsl.hpp"

#include "achilles/defender_json/defender_document_json.hpp"
#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

std::string escaped(std::string_view literal) {
  std::string out;
  for (const char c : literal) {
    if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

json::object wildcard(const std::string& field, const std::string& pattern) {
  return {{"wildcard", json::object{{field, json::object{{"value", pattern}}}}}};
}

json::object none_of(json::object query) { return {{"bool", json::object{{"must_not", json::array{std::move(query)}}}}}; }

json::object any_of(json::array should) {
  return {{"bool", json::object{{"should", std::move(should)}, {"minimum_should_match", 1}}}};
}

// The field and its .keyword twin, as the original asks them.
void both(json::array& into, const std::string& field, const std::string& pattern) {
  into.push_back(wildcard(field, pattern));
  into.push_back(wildcard(field + ".keyword", pattern));
}

json::object time_range(const char* field, std::int64_t from, std::int64_t to) {
  return {{"range", json::object{{field, json::object{{"gte", format_iso_millis(from)}, {"lte", format_iso_millis(to)}}}}}};
}

std::int64_t total_of(const json::object& response) {
  const auto* hits = response.if_contains("hits");
  const auto* total = hits && hits->is_object() ? hits->get_object().if_contains("total") : nullptr;
  if (!total) return 0;
  if (total->is_number()) return total->to_number<std::int64_t>();
  if (const auto* o = total->if_object(); o && o->contains("value")) return o->at("value").to_number<std::int64_t>();
  return 0;
}

std::vector<AlertCount> terms_counts(const json::object& aggs, const char* name) {
  std::vector<AlertCount> out;
  const auto* agg = aggs.if_contains(name);
  const auto* buckets = agg && agg->is_object() ? agg->get_object().if_contains("buckets") : nullptr;
  if (!buckets || !buckets->is_array()) return out;
  for (const auto& b : buckets->get_array()) {
    const auto& o = b.as_object();
    const auto& key = o.at("key");
    out.push_back({key.is_string() ? std::string(key.get_string()) : json::serialize(key), o.at("doc_count").to_number<std::int64_t>()});
  }
  return out;
}

std::int64_t filter_count(const json::object& bucket, const char* name) {
  const auto* f = bucket.if_contains(name);
  return f && f->is_object() ? f->get_object().at("doc_count").to_number<std::int64_t>() : 0;
}

}  // namespace

json::object alert_query_dsl(const AlertQuery& q) {
  json::array must;
  must.push_back(json::object{{"term", json::object{{"doc_type", "alert"}}}});
  if (q.severity) must.push_back(json::object{{"term", json::object{{"severity", *q.severity}}}});
  if (q.status) must.push_back(json::object{{"term", json::object{{"status", *q.status}}}});
  if (q.search)
    must.push_back(json::object{{"multi_match", json::object{{"query", *q.search},
                                                             {"fields", json::array{"alert_title", "description", "category"}}}}});
  if (!q.techniques.empty()) {
    if (q.sub_techniques) {
      json::array should;
      for (const auto& t : q.techniques) {
        should.push_back(json::object{{"term", json::object{{"mitre_techniques", t}}}});
        should.push_back(json::object{{"prefix", json::object{{"mitre_techniques", t + "."}}}});
      }
      must.push_back(any_of(std::move(should)));
    } else {
      json::array terms;
      for (const auto& t : q.techniques) terms.emplace_back(t);
      must.push_back(json::object{{"terms", json::object{{"mitre_techniques", std::move(terms)}}}});
    }
  }
  if (q.created_from_ms)
    must.push_back(json::object{{"range", json::object{{"created_at", json::object{{"gte", format_iso_millis(*q.created_from_ms)}}}}}});
  if (q.seen)
    must.push_back(any_of(json::array{time_range("timestamp", q.seen->from_ms, q.seen->to_ms),
                                      time_range("created_at", q.seen->from_ms, q.seen->to_ms)}));
  if (q.host_prefix) {
    json::array should;
    both(should, "evidence_hostnames", escaped(*q.host_prefix) + "*");
    must.push_back(any_of(std::move(should)));
  }
  if (q.files) {
    const std::string uuid = escaped(q.files->uuid);
    json::array should;
    if (q.files->stage_control) {
      const std::string stage = uuid + "-" + escaped(*q.files->stage_control);
      for (const char* field : {"evidence_filenames", "evidence_filenames.keyword"})
        should.push_back(json::object{{"term", json::object{{field, q.files->uuid + "-" + *q.files->stage_control + ".exe"}}}});
      both(should, "evidence_filenames", stage + "-*.exe");
    } else {
      both(should, "evidence_filenames", uuid + "*");
      both(should, "evidence_filepaths", "*" + uuid + "*");
      if (q.files->name_token) both(should, "evidence_filepaths", "*" + escaped(*q.files->name_token) + "*");
    }
    must.push_back(any_of(std::move(should)));
  }
  if (q.correlated) {
    json::object correlated{{"term", json::object{{"f0rtika.achilles_correlated", true}}}};
    must.push_back(*q.correlated ? std::move(correlated) : none_of(std::move(correlated)));
  }
  if (q.auto_resolve_modes) {
    json::array should;
    json::array named;
    for (const auto& m : *q.auto_resolve_modes) {
      if (m.empty()) should.push_back(none_of(json::object{{"exists", json::object{{"field", "f0rtika.auto_resolve_mode"}}}}));
      else named.emplace_back(m);
    }
    if (!named.empty()) should.push_back(json::object{{"terms", json::object{{"f0rtika.auto_resolve_mode", std::move(named)}}}});
    must.push_back(any_of(std::move(should)));
  }
  return {{"bool", json::object{{"must", std::move(must)}}}};
}

json::object alert_page_request(const AlertQuery& q, const AlertPageQuestion& page) {
  const char* order = page.descending ? "desc" : "asc";
  return {{"from", page.offset},
          {"size", page.limit},
          {"track_total_hits", true},
          {"query", alert_query_dsl(q)},
          {"sort", json::array{json::object{{std::string(stored_name(page.sort)), json::object{{"order", order}}}},
                               json::object{{"alert_id", json::object{{"order", "asc"}}}}}}};
}

AlertPage alert_page_response(const json::object& response) {
  AlertPage page;
  page.total = total_of(response);
  const auto* hits = hits_in(response);
  if (!hits) throw BackendUnavailable("Elasticsearch answered an alert search without hits");
  for (const auto& hit : *hits) {
    const auto* h = hit.if_object();
    const auto* source = h && h->contains("_source") ? h->at("_source").if_object() : nullptr;
    const auto* id = h ? h->if_contains("_id") : nullptr;
    if (!source || !id || !id->is_string()) continue;
    if (auto d = defender_json::decode_alert(*source, std::string(id->get_string()))) page.alerts.push_back(std::move(*d));
  }
  return page;
}

json::object alert_tally_request(const AlertQuery& q) {
  auto severity = [](const char* s) { return json::object{{"filter", json::object{{"term", json::object{{"severity", s}}}}}}; };
  json::object aggs{
      {"by_severity", json::object{{"terms", json::object{{"field", "severity"}, {"size", kAlertTallyTop}}}}},
      {"by_status", json::object{{"terms", json::object{{"field", "status"}, {"size", kAlertTallyTop}}}}},
      {"by_technique", json::object{{"terms", json::object{{"field", "mitre_techniques"}, {"size", kAlertTechniqueTop}}}}}};
  if (q.created_from_ms)
    aggs["by_day"] = json::object{{"date_histogram", json::object{{"field", "created_at"}, {"calendar_interval", "day"}}},
                                  {"aggs", json::object{{"high", severity("high")}, {"medium", severity("medium")}, {"low", severity("low")}}}};
  return {{"size", 0}, {"track_total_hits", true}, {"query", alert_query_dsl(q)}, {"aggs", std::move(aggs)}};
}

AlertTally alert_tally_response(const json::object& response) {
  AlertTally t;
  t.total = total_of(response);
  const auto* aggs_value = response.if_contains("aggregations");
  if (!aggs_value || !aggs_value->is_object()) return t;
  const auto& aggs = aggs_value->get_object();
  t.by_severity = terms_counts(aggs, "by_severity");
  t.by_status = terms_counts(aggs, "by_status");
  t.by_technique = terms_counts(aggs, "by_technique");
  if (const auto* days = aggs.if_contains("by_day"); days && days->is_object())
    if (const auto* buckets = days->get_object().if_contains("buckets"); buckets && buckets->is_array())
      for (const auto& b : buckets->get_array()) {
        const auto& o = b.as_object();
        t.by_day.push_back({o.at("key").to_number<std::int64_t>(), o.at("doc_count").to_number<std::int64_t>(),
                            filter_count(o, "high"), filter_count(o, "medium"), filter_count(o, "low")});
      }
  return t;
}

}  // namespace achilles::elasticsearch
