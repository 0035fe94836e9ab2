// Aggregations: bucket aggregations nest, metric aggregations answer a value.
#include <algorithm>
#include <cctype>
#include <string>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "achilles/query/date_math.hpp"
#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {
namespace {

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return compare(a, b) < 0; }
};

const std::vector<std::string_view> kTypes = {"filter", "terms", "cardinality", "date_histogram", "max", "min",
                                              "sum", "avg", "value_count", "top_hits", "composite"};

// Buckets the search has built so far (one search evaluates on one thread).
thread_local std::size_t built_buckets = 0;

void count_buckets(std::size_t n) { built_buckets += n; }

// The one type of an aggregation definition, its body, and its sub-aggregations.
struct Definition {
  std::string name;
  std::string type;
  const json::value* body = nullptr;
  const json::object* subs = nullptr;
};

Definition definition(const std::string& name, const json::value& v) {
  Definition d;
  d.name = name;
  const auto* o = v.if_object();
  if (!o) fail(400, "parsing_exception", "Expected [START_OBJECT] under [" + name + "]");
  for (const auto& kv : *o) {
    if (kv.key() == "aggs" || kv.key() == "aggregations") {
      if (!kv.value().is_object()) fail(400, "parsing_exception", "Expected [START_OBJECT] under [" + std::string(kv.key()) + "]");
      d.subs = &kv.value().get_object();
    } else if (kv.key() == "meta") {
      continue;
    } else if (std::find(kTypes.begin(), kTypes.end(), kv.key()) == kTypes.end()) {
      fail(400, "parsing_exception", "Unknown aggregation type [" + std::string(kv.key()) + "]");
    } else if (!d.type.empty()) {
      fail(400, "parsing_exception",
           "Found two aggregation type definitions in [" + name + "]: [" + d.type + "] and [" + std::string(kv.key()) + "]");
    } else {
      d.type = std::string(kv.key());
      d.body = &kv.value();
    }
  }
  if (d.type.empty()) fail(400, "parsing_exception", "Missing definition for aggregation [" + name + "]");
  if (d.type != "filter" && !d.body->is_object()) fail(400, "parsing_exception", "Expected [START_OBJECT] under [" + d.type + "]");
  return d;
}

const json::object& body_of(const Definition& d) { return d.body->get_object(); }

std::string field_of(const Definition& d) {
  const auto* f = body_of(d).if_contains("field");
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

std::int64_t int_param(const Definition& d, const char* key, std::int64_t fallback) {
  const auto* v = body_of(d).if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  fail(400, "parsing_exception", "[" + d.type + "] failed to parse field [" + key + "]");
}

// --- calendar intervals ------------------------------------------------------

enum class Unit { Minute, Hour, Day, Week, Month, Quarter, Year, Fixed };
struct Interval {
  Unit unit;
  std::int64_t fixed_ms = 0;
};

Interval interval_of(const Definition& d) {
  const auto& b = body_of(d);
  if (const auto* c = b.if_contains("calendar_interval"); c && c->is_string()) {
    static const std::map<std::string, Unit, std::less<>> units = {
        {"minute", Unit::Minute}, {"1m", Unit::Minute}, {"hour", Unit::Hour}, {"1h", Unit::Hour},
        {"day", Unit::Day},       {"1d", Unit::Day},    {"week", Unit::Week}, {"1w", Unit::Week},
        {"month", Unit::Month},   {"1M", Unit::Month},  {"quarter", Unit::Quarter}, {"1q", Unit::Quarter},
        {"year", Unit::Year},     {"1y", Unit::Year}};
    const auto it = units.find(c->get_string());
    if (it == units.end()) {
      fail(400, "illegal_argument_exception",
           "The supplied interval [" + std::string(c->get_string()) + "] could not be parsed as a calendar interval.");
    }
    return {it->second};
  }
  if (const auto* f = b.if_contains("fixed_interval"); f && f->is_string()) {
    const std::string text(f->get_string());
    std::size_t end = 0;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    static const std::map<std::string, std::int64_t, std::less<>> lengths = {
        {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", kMillisPerDay}};
    const auto it = lengths.find(text.substr(end));
    if (end == 0 || it == lengths.end() || std::stoll(text.substr(0, end)) <= 0) {
      fail(400, "illegal_argument_exception",
           "failed to parse setting [date_histogram.fixedInterval] with value [" + text + "] as a time value");
    }
    return {Unit::Fixed, std::stoll(text.substr(0, end)) * it->second};
  }
  fail(400, "illegal_argument_exception", "Invalid interval specified, must be non-null and non-empty");
}

std::int64_t bucket_start(std::int64_t ms, const Interval& iv) {
  const std::int64_t day = floor_div(ms, kMillisPerDay);
  const CivilDate c = civil_from_days(day);
  switch (iv.unit) {
    case Unit::Minute: return floor_div(ms, 60'000) * 60'000;
    case Unit::Hour: return floor_div(ms, 3'600'000) * 3'600'000;
    case Unit::Day: return start_of_day(ms);
    case Unit::Week: {
      const std::int64_t monday_based = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
      return (day - monday_based) * kMillisPerDay;
    }
    case Unit::Month: return days_from_civil(c.year, c.month, 1) * kMillisPerDay;
    case Unit::Quarter: return days_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1) * kMillisPerDay;
    case Unit::Year: return days_from_civil(c.year, 1, 1) * kMillisPerDay;
    case Unit::Fixed: return floor_div(ms, iv.fixed_ms) * iv.fixed_ms;
  }
  return ms;
}

std::int64_t next_start(std::int64_t start, const Interval& iv) {
  const CivilDate c = civil_from_days(floor_div(start, kMillisPerDay));
  const auto months_later = [&](unsigned n) {
    const unsigned zero_based = c.month - 1 + n;
    return days_from_civil(c.year + zero_based / 12, zero_based % 12 + 1, 1) * kMillisPerDay;
  };
  switch (iv.unit) {
    case Unit::Minute: return start + 60'000;
    case Unit::Hour: return start + 3'600'000;
    case Unit::Day: return start + kMillisPerDay;
    case Unit::Week: return start + 7 * kMillisPerDay;
    case Unit::Month: return months_later(1);
    case Unit::Quarter: return months_later(3);
    case Unit::Year: return months_later(12);
    case Unit::Fixed: return start + iv.fixed_ms;
  }
  return start + 1;
}

void check_time_zone(const Definition& d) {
  if (const auto* tz = body_of(d).if_contains("time_zone"); tz && tz->is_string()) {
    const auto z = tz->get_string();
    if (z != "UTC" && z != "Z" && z != "+00:00" && z != "Etc/UTC" && z != "GMT") {
      fail(400, "illegal_argument_exception", "fake Elasticsearch only supports UTC, not [" + std::string(z) + "]");
    }
  }
}

// --- per-document keys -------------------------------------------------------

// The distinct keys a document contributes to a terms/cardinality aggregation.
std::vector<Value> keys_of(const Definition& d, const Hit& hit, const std::string& script) {
  if (!script.empty()) {
    Value v;
    v.s = run_script(script, hit);
    return {v};
  }
  auto values = values_of(hit, field_of(d));
  std::sort(values.begin(), values.end(), ValueLess{});
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string script_of(const Definition& d) {
  const auto& b = body_of(d);
  if (const auto* s = b.if_contains("script")) return script_source(*s);
  if (field_of(d).empty()) {
    fail(400, "illegal_argument_exception", "Required one of fields [field, script], but none were specified. ");
  }
  return {};
}

void validate(const json::object& aggs);

void validate_definition(const Definition& d) {
  if (d.type == "filter") validate_query(*d.body);
  if (d.type == "date_histogram") {
    (void)interval_of(d);
    check_time_zone(d);
    if (field_of(d).empty()) fail(400, "illegal_argument_exception", "Required one of fields [field, script], but none were specified. ");
  }
  if (d.type == "terms" || d.type == "cardinality") (void)script_of(d);
  if (d.type == "top_hits") (void)parse_sort(body_of(d).if_contains("sort"));
  if (d.subs) validate(*d.subs);
}

void validate(const json::object& aggs) {
  for (const auto& kv : aggs) validate_definition(definition(std::string(kv.key()), kv.value()));
}

json::object evaluate(const Definition& d, const Hits& hits);

void add_subs(json::object& bucket, const Definition& d, const Hits& hits) {
  if (!d.subs) return;
  for (const auto& kv : *d.subs) {
    bucket[kv.key()] = evaluate(definition(std::string(kv.key()), kv.value()), hits);
  }
}

json::value key_with_string(json::object& bucket, const Value& key) {
  if (key.kind == Value::Kind::Boolean) bucket["key_as_string"] = key.i ? "true" : "false";
  if (key.kind == Value::Kind::Date) bucket["key_as_string"] = format_iso_millis(key.i);
  return key_json(key);
}

// --- terms -------------------------------------------------------------------

struct Bucket {
  Value key;
  Hits hits;
  json::object sub_results;
};

// A sub-aggregation's single value as ES orders by it (empty max sorts lowest, empty min highest).
double order_value(const Definition& parent, const Bucket& b, std::string path) {
  std::string property = "value";
  if (const auto dot = path.find('.'); dot != std::string::npos) {
    property = path.substr(dot + 1);
    path = path.substr(0, dot);
  }
  const auto* sub_def = parent.subs ? parent.subs->if_contains(path) : nullptr;
  const auto* result = b.sub_results.if_contains(path);
  if (!sub_def || !result) {
    fail(400, "aggregation_execution_exception", "Invalid aggregation order path [" + path + "]. Unknown aggregation [" + path + "]");
  }
  const Definition sub = definition(path, *sub_def);
  const auto& r = result->get_object();
  const json::value* v = r.if_contains(sub.type == "filter" ? "doc_count" : property);
  if (v && v->is_number()) return v->to_number<double>();
  return sub.type == "min" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

json::object terms(const Definition& d, const Hits& hits) {
  const std::string script = script_of(d);
  std::map<Value, Hits, ValueLess> grouped;
  for (const auto& h : hits) {
    for (auto& k : keys_of(d, h, script)) grouped[std::move(k)].push_back(h);
  }
  std::vector<Bucket> buckets;
  for (auto& [key, members] : grouped) {
    Bucket b{key, std::move(members), {}};
    add_subs(b.sub_results, d, b.hits);
    buckets.push_back(std::move(b));
  }
  const std::int64_t min_doc_count = int_param(d, "min_doc_count", 1);
  std::erase_if(buckets, [&](const Bucket& b) { return static_cast<std::int64_t>(b.hits.size()) < min_doc_count; });

  // Criteria in order; the key ascending breaks remaining ties, as ES does.
  std::vector<std::pair<std::string, bool>> criteria;  // (what, descending)
  const auto add_order = [&](const json::object& o) {
    for (const auto& kv : o) {
      const bool desc = kv.value().is_string() && kv.value().get_string() == "desc";
      criteria.emplace_back(kv.key() == "_term" ? "_key" : std::string(kv.key()), desc);
    }
  };
  if (const auto* order = body_of(d).if_contains("order")) {
    if (const auto* o = order->if_object()) add_order(*o);
    if (const auto* arr = order->if_array()) {
      for (const auto& e : *arr) {
        if (e.is_object()) add_order(e.get_object());
      }
    }
  } else {
    criteria.emplace_back("_count", true);
  }
  std::vector<std::pair<std::vector<double>, std::size_t>> ranks;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    std::vector<double> r;
    for (const auto& [what, desc] : criteria) {
      if (what == "_key") continue;
      r.push_back(what == "_count" ? static_cast<double>(buckets[i].hits.size()) : order_value(d, buckets[i], what));
    }
    ranks.emplace_back(std::move(r), i);
  }
  std::stable_sort(ranks.begin(), ranks.end(), [&](const auto& a, const auto& b) {
    std::size_t n = 0;
    for (const auto& [what, desc] : criteria) {
      int c = 0;
      if (what == "_key") {
        c = compare(buckets[a.second].key, buckets[b.second].key);
      } else {
        const double x = a.first[n], y = b.first[n];
        ++n;
        c = x < y ? -1 : (x > y ? 1 : 0);
      }
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return compare(buckets[a.second].key, buckets[b.second].key) < 0;
  });

  const auto size = static_cast<std::size_t>(std::max<std::int64_t>(0, int_param(d, "size", 10)));
  json::array out;
  std::int64_t other = 0;
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    Bucket& b = buckets[ranks[r].second];
    if (r >= size) {
      other += static_cast<std::int64_t>(b.hits.size());
      continue;
    }
    json::object bucket;
    bucket["key"] = key_with_string(bucket, b.key);
    bucket["doc_count"] = static_cast<std::int64_t>(b.hits.size());
    for (auto& kv : b.sub_results) bucket[kv.key()] = std::move(kv.value());
    out.push_back(std::move(bucket));
  }
  count_buckets(out.size());
  return {{"doc_count_error_upper_bound", 0}, {"sum_other_doc_count", other}, {"buckets", std::move(out)}};
}

// --- date_histogram ----------------------------------------------------------

json::object date_histogram(const Definition& d, const Hits& hits) {
  const Interval iv = interval_of(d);
  check_time_zone(d);
  const std::string field = field_of(d);
  std::map<std::int64_t, Hits> grouped;
  for (const auto& h : hits) {
    std::set<std::int64_t> starts;
    for (const auto& v : values_of(h, field)) {
      if (v.kind == Value::Kind::String) {
        fail(400, "illegal_argument_exception",
             "Field [" + field + "] of type [keyword] is not supported for aggregation [date_histogram]");
      }
      starts.insert(bucket_start(v.kind == Value::Kind::Float ? static_cast<std::int64_t>(v.f) : v.i, iv));
    }
    for (const auto s : starts) grouped[s].push_back(h);
  }
  const std::int64_t min_doc_count = int_param(d, "min_doc_count", 0);
  if (min_doc_count == 0 && !grouped.empty()) {
    for (std::int64_t s = grouped.begin()->first; s < grouped.rbegin()->first; s = next_start(s, iv)) (void)grouped[s];
  }
  json::array out;
  for (const auto& [start, members] : grouped) {
    if (static_cast<std::int64_t>(members.size()) < std::max<std::int64_t>(min_doc_count, 0)) continue;
    json::object bucket{{"key_as_string", format_iso_millis(start)}, {"key", start},
                        {"doc_count", static_cast<std::int64_t>(members.size())}};
    add_subs(bucket, d, members);
    out.push_back(std::move(bucket));
  }
  count_buckets(out.size());
  if (const auto* order = body_of(d).if_contains("order"); order && order->is_object()) {
    if (const auto* k = order->get_object().if_contains("_key"); k && k->is_string() && k->get_string() == "desc") {
      std::reverse(out.begin(), out.end());
    }
  }
  return {{"buckets", std::move(out)}};
}

// --- composite ---------------------------------------------------------------

// Terms sources only, keys ascending; the page after `after` when given.
json::object composite(const Definition& d, const Hits& hits) {
  const auto* sources = body_of(d).if_contains("sources");
  if (!sources || !sources->is_array() || sources->get_array().empty())
    fail(400, "x_content_parse_exception", "Required [sources]");
  std::vector<std::pair<std::string, std::string>> fields;  // (name, field)
  std::vector<bool> missing_bucket;
  for (const auto& s : sources->get_array()) {
    const auto* o = s.if_object();
    if (!o || o->size() != 1) fail(400, "x_content_parse_exception", "[composite] sources must be objects of one source");
    const auto& [name, def] = *o->begin();
    const auto* terms = def.is_object() ? def.get_object().if_contains("terms") : nullptr;
    const auto* field = terms && terms->is_object() ? terms->get_object().if_contains("field") : nullptr;
    if (!field || !field->is_string()) fail(400, "illegal_argument_exception", "fake Elasticsearch: composite needs terms sources with a field");
    fields.emplace_back(std::string(name), std::string(field->get_string()));
    const auto* missing = terms->get_object().if_contains("missing_bucket");
    missing_bucket.push_back(missing && missing->is_bool() && missing->get_bool());
  }
  // A document without a value has a null key where the source asks for a
  // missing bucket (sorted first, as ES orders nulls ascending).
  static const std::string kNull = std::string("\0null", 5);
  struct KeysLess {
    bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
      for (std::size_t i = 0; i < a.size(); ++i)
        if (const int c = compare(a[i], b[i]); c != 0) return c < 0;
      return false;
    }
  };
  std::map<std::vector<Value>, Hits, KeysLess> grouped;
  for (const auto& h : hits) {
    std::vector<std::vector<Value>> per_source;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      auto values = values_of(h, fields[i].second);
      std::sort(values.begin(), values.end(), ValueLess{});
      values.erase(std::unique(values.begin(), values.end()), values.end());
      if (values.empty() && missing_bucket[i]) values.push_back(Value{Value::Kind::String, 0, 0, kNull});
      per_source.push_back(std::move(values));
    }
    // Every combination of the document's values (a missing value: no bucket).
    std::vector<std::vector<Value>> combos{{}};
    for (const auto& values : per_source) {
      std::vector<std::vector<Value>> next;
      for (const auto& c : combos)
        for (const auto& v : values) {
          next.push_back(c);
          next.back().push_back(v);
        }
      combos = std::move(next);
    }
    for (auto& c : combos) grouped[std::move(c)].push_back(h);
  }
  const auto size = static_cast<std::size_t>(std::max<std::int64_t>(1, int_param(d, "size", 10)));
  // The page after `after`: the buckets past the one whose key it repeats.
  const auto* after = body_of(d).if_contains("after");
  bool past_after = !after;
  json::array out;
  json::object after_key;
  for (auto& [keys, members] : grouped) {
    if (out.size() == size) break;
    json::object key;
    for (std::size_t i = 0; i < keys.size(); ++i)
      key[fields[i].first] = keys[i].kind == Value::Kind::String && keys[i].s == kNull ? json::value(nullptr) : key_json(keys[i]);
    if (!past_after) {
      past_after = json::value(key) == *after;
      continue;
    }
    json::object bucket{{"key", key}, {"doc_count", static_cast<std::int64_t>(members.size())}};
    add_subs(bucket, d, members);
    after_key = std::move(key);
    out.push_back(std::move(bucket));
  }
  count_buckets(out.size());
  json::object result{{"buckets", std::move(out)}};
  if (!after_key.empty()) result["after_key"] = std::move(after_key);
  return result;
}

// --- metrics -----------------------------------------------------------------

json::object metric(const Definition& d, const Hits& hits) {
  const std::string field = field_of(d);
  if (field.empty()) fail(400, "illegal_argument_exception", "Required one of fields [field, script], but none were specified. ");
  std::vector<Value> values;
  for (const auto& h : hits) {
    for (auto& v : values_of(h, field)) values.push_back(std::move(v));
  }
  if (d.type == "value_count") return {{"value", static_cast<std::int64_t>(values.size())}};
  bool dates = false;
  for (const auto& v : values) {
    if (v.kind == Value::Kind::String) {
      fail(400, "illegal_argument_exception", "Field [" + field + "] of type [keyword] is not supported for aggregation [" + d.type + "]");
    }
    dates = dates || v.kind == Value::Kind::Date;
  }
  if (d.type == "sum") {
    double sum = 0;
    for (const auto& v : values) sum += v.number();
    return {{"value", sum}};
  }
  if (values.empty()) return {{"value", nullptr}};
  double x = 0;
  if (d.type == "avg") {
    for (const auto& v : values) x += v.number();
    x /= static_cast<double>(values.size());
  } else {
    const auto less = [](const Value& a, const Value& b) { return compare(a, b) < 0; };
    x = (d.type == "max" ? *std::max_element(values.begin(), values.end(), less)
                         : *std::min_element(values.begin(), values.end(), less)).number();
  }
  json::object out{{"value", x}};
  if (dates && d.type != "avg") out["value_as_string"] = format_iso_millis(static_cast<std::int64_t>(x));
  return out;
}

json::object top_hits(const Definition& d, const Hits& hits) {
  const auto keys = parse_sort(body_of(d).if_contains("sort"));
  Hits sorted = hits;
  sort_hits(sorted, keys);
  const auto from = static_cast<std::size_t>(std::max<std::int64_t>(0, int_param(d, "from", 0)));
  const auto size = static_cast<std::size_t>(std::max<std::int64_t>(0, int_param(d, "size", 3)));
  json::array page;
  for (std::size_t i = from; i < from + size && i < sorted.size(); ++i) {
    page.push_back(hit_json(sorted[i], keys, body_of(d).if_contains("_source")));
  }
  return {{"hits", json::object{{"total", json::object{{"value", static_cast<std::int64_t>(hits.size())}, {"relation", "eq"}}},
                                {"max_score", nullptr},
                                {"hits", std::move(page)}}}};
}

json::object evaluate(const Definition& d, const Hits& hits) {
  if (d.type == "filter") {
    const Hits inside = filter_hits(d.body, hits);
    json::object out{{"doc_count", static_cast<std::int64_t>(inside.size())}};
    add_subs(out, d, inside);
    return out;
  }
  if (d.type == "terms") return terms(d, hits);
  if (d.type == "composite") return composite(d, hits);
  if (d.type == "date_histogram") return date_histogram(d, hits);
  if (d.type == "top_hits") return top_hits(d, hits);
  if (d.type == "cardinality") {
    const std::string script = script_of(d);
    std::set<Value, ValueLess> distinct;
    for (const auto& h : hits) {
      for (auto& k : keys_of(d, h, script)) distinct.insert(std::move(k));
    }
    return {{"value", static_cast<std::int64_t>(distinct.size())}};
  }
  return metric(d, hits);
}

}  // namespace

json::object run_aggregations(const json::object& aggs, const Hits& hits, std::size_t max_buckets) {
  validate(aggs);
  built_buckets = 0;
  json::object out;
  for (const auto& kv : aggs) out[kv.key()] = evaluate(definition(std::string(kv.key()), kv.value()), hits);
  if (built_buckets > max_buckets) {
    EsError e{400, "too_many_buckets_exception",
              "Trying to create too many buckets. Must be less than or equal to: [" + std::to_string(max_buckets) +
                  "] but this number of buckets was exceeded. This limit can be set by changing the [search.max_buckets] cluster level setting.",
              {{"max_buckets", static_cast<std::int64_t>(max_buckets)}}};
    e.outer_type = "search_phase_execution_exception";
    throw e;
  }
  return out;
}

}  // namespace achilles::testing::fake_elasticsearch_internal
