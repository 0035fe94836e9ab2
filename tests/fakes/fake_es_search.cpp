// _search bodies: paging, sorting, search_after and the hits envelope.
#include <algorithm>
#include <limits>

#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {
namespace {

constexpr std::int64_t kMaxResultWindow = 10000;

SortKey sort_key(std::string field, const json::value* spec) {
  SortKey k{std::move(field)};
  if (!spec) return k;
  const json::value* order = spec;
  if (const auto* o = spec->if_object()) {
    order = o->if_contains("order");
    if (const auto* m = o->if_contains("missing"); m && m->is_string()) k.missing_first = m->get_string() == "_first";
  }
  if (order && order->is_string()) {
    if (order->get_string() == "desc") {
      k.descending = true;
    } else if (order->get_string() != "asc") {
      fail(400, "illegal_argument_exception", "Unknown SortOrder [" + std::string(order->get_string()) + "]");
    }
  }
  return k;
}

std::int64_t position(const Hit& h) { return static_cast<std::int64_t>(h.doc - h.index->docs.data()); }

bool numeric_field(const Hit& h, const std::string& field) {
  const FieldType t = h.index->type_of(field);
  if (t == FieldType::Date || t == FieldType::Integer || t == FieldType::Boolean) return true;
  if (t != FieldType::Dynamic) return false;
  const auto values = values_of(h, field);
  return !values.empty() && values.front().numeric() && values.front().kind != Value::Kind::Float;
}

// Order of a doc's key `d` against another key `a` (missing = nullopt), in sort order.
int order_of(const std::optional<Value>& d, const std::optional<Value>& a, const SortKey& k) {
  if (!d && !a) return 0;
  if (!d) return k.missing_first ? -1 : 1;
  if (!a) return k.missing_first ? 1 : -1;
  const int c = compare(*d, *a);
  return k.descending ? -c : c;
}

// A search_after operand read as a key: the sentinels ES writes for missing values read back as missing.
std::optional<Value> after_key(const json::value& v, const std::optional<Value>& like, const SortKey& k) {
  if (v.is_null()) return std::nullopt;
  if (v.is_int64() && (v.get_int64() == std::numeric_limits<std::int64_t>::max() ||
                       v.get_int64() == std::numeric_limits<std::int64_t>::min())) {
    if (!like || like->kind != Value::Kind::Integer) return std::nullopt;
  }
  if (k.field == "_doc" || k.field == "_shard_doc") return coerce(v, Value::Kind::Integer);
  if (!like) {
    if (v.is_string()) return coerce(v, Value::Kind::String);
    return coerce(v, v.is_double() ? Value::Kind::Float : Value::Kind::Integer);
  }
  return coerce(v, like->kind);
}

}  // namespace

std::vector<SortKey> parse_sort(const json::value* sort) {
  std::vector<SortKey> keys;
  if (!sort || sort->is_null()) return keys;
  std::vector<const json::value*> items;
  if (const auto* arr = sort->if_array()) {
    for (const auto& e : *arr) items.push_back(&e);
  } else {
    items.push_back(sort);
  }
  for (const auto* item : items) {
    if (const auto* s = item->if_string()) {
      if (*s != "_score") keys.push_back(sort_key(std::string(*s), nullptr));
    } else if (const auto* o = item->if_object()) {
      for (const auto& kv : *o) {
        if (kv.key() != "_score") keys.push_back(sort_key(std::string(kv.key()), &kv.value()));
      }
    } else {
      fail(400, "parsing_exception", "malformed sort format, within the sort array, an object, or an actual string are allowed");
    }
  }
  return keys;
}

std::vector<std::optional<Value>> sort_values(const std::vector<SortKey>& keys, const Hit& hit) {
  std::vector<std::optional<Value>> out;
  for (const auto& k : keys) {
    if (k.field == "_doc" || k.field == "_shard_doc") {  // one shard: index order
      Value v;
      v.kind = Value::Kind::Integer;
      v.i = position(hit);
      out.emplace_back(v);
      continue;
    }
    auto values = values_of(hit, k.field);
    if (values.empty()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    // Multi-valued fields sort by their smallest value ascending, largest descending.
    const auto less = [](const Value& a, const Value& b) { return compare(a, b) < 0; };
    out.emplace_back(k.descending ? *std::max_element(values.begin(), values.end(), less)
                                  : *std::min_element(values.begin(), values.end(), less));
  }
  return out;
}

void sort_hits(Hits& hits, const std::vector<SortKey>& keys) {
  if (keys.empty()) return;
  std::vector<std::pair<std::vector<std::optional<Value>>, Hit>> keyed;
  keyed.reserve(hits.size());
  for (const auto& h : hits) keyed.emplace_back(sort_values(keys, h), h);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (const int c = order_of(a.first[i], b.first[i], keys[i]); c != 0) return c < 0;
    }
    return false;
  });
  for (std::size_t i = 0; i < hits.size(); ++i) hits[i] = keyed[i].second;
}

json::object hit_json(const Hit& hit, const std::vector<SortKey>& keys, const json::value* source_filter) {
  json::object h{{"_index", hit.index->name}, {"_id", hit.doc->id}, {"_score", nullptr}};
  if (!(source_filter && source_filter->is_bool() && !source_filter->get_bool())) h["_source"] = hit.doc->source;
  if (!keys.empty()) {
    json::array sort;
    const auto values = sort_values(keys, hit);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (values[i]) {
        sort.push_back(key_json(*values[i]));
      } else if (numeric_field(hit, keys[i].field)) {
        // What ES writes for a missing numeric or date value: the substitute it sorted by.
        const bool high = keys[i].missing_first == keys[i].descending;
        sort.push_back(high ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min());
      } else {
        sort.push_back(nullptr);
      }
    }
    h["sort"] = std::move(sort);
  }
  return h;
}

json::object run_search(const json::object& body, const Hits& all, const SearchOptions& options) {
  static const std::vector<std::string_view> known = {
      "query", "size", "from", "sort", "search_after", "track_total_hits", "_source", "aggs", "aggregations",
      "timeout", "track_scores", "version", "seq_no_primary_term", "stored_fields", "terminate_after", "pit"};
  for (const auto& kv : body) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      fail(400, "parsing_exception", "Unknown key for a START_OBJECT in [" + std::string(kv.key()) + "].", {{"line", 1}, {"col", 1}});
    }
  }
  const auto int_of = [&](const char* name, std::int64_t fallback) {
    const auto* v = body.if_contains(name);
    if (!v || v->is_null()) return fallback;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    fail(400, "parsing_exception", std::string("[") + name + "] must be an integer");
  };
  const std::int64_t size = int_of("size", 10);
  const std::int64_t from = int_of("from", 0);
  if (size < 0) fail(400, "illegal_argument_exception", "[size] parameter cannot be negative, found [" + std::to_string(size) + "]");
  if (from < 0) fail(400, "illegal_argument_exception", "[from] parameter cannot be negative, found [" + std::to_string(from) + "]");
  if (from + size > kMaxResultWindow) {
    fail(400, "illegal_argument_exception",
         "Result window is too large, from + size must be less than or equal to: [10000] but was [" + std::to_string(from + size) +
             "]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "
             "[index.max_result_window] index level setting.");
  }

  const Hits matched = filter_hits(body.if_contains("query"), all);
  Hits hits = matched;
  const auto total = static_cast<std::int64_t>(hits.size());
  const auto keys = parse_sort(body.if_contains("sort"));

  json::object result{{"took", 1}, {"timed_out", false},
                      {"_shards", json::object{{"total", 1}, {"successful", 1}, {"skipped", 0}, {"failed", 0}}}};
  json::object hits_json;
  const auto* track = body.if_contains("track_total_hits");
  if (!(track && track->is_bool() && !track->get_bool())) {
    std::int64_t limit = kMaxResultWindow;
    if (track && track->is_bool()) limit = std::numeric_limits<std::int64_t>::max();
    if (track && track->is_int64()) limit = track->get_int64();
    const bool capped = total > limit;
    if (options.total_as_number) {
      hits_json["total"] = total;
    } else {
      hits_json["total"] = json::object{{"value", capped ? limit : total}, {"relation", capped ? "gte" : "eq"}};
    }
  }
  hits_json["max_score"] = nullptr;

  sort_hits(hits, keys);
  if (const auto* after = body.if_contains("search_after"); after && after->is_array()) {
    const auto& a = after->get_array();
    if (a.size() != keys.size()) {
      fail(400, "illegal_argument_exception",
           "search_after has " + std::to_string(a.size()) + " value(s) but sort has " + std::to_string(keys.size()) + ".");
    }
    Hits kept;
    for (const auto& h : hits) {
      const auto values = sort_values(keys, h);
      int c = 0;
      for (std::size_t i = 0; i < keys.size() && c == 0; ++i) c = order_of(values[i], after_key(a[i], values[i], keys[i]), keys[i]);
      if (c > 0) kept.push_back(h);
    }
    hits = std::move(kept);
  }
  json::array page;
  for (std::int64_t i = from; i < from + size && i < static_cast<std::int64_t>(hits.size()); ++i) {
    page.push_back(hit_json(hits[static_cast<std::size_t>(i)], keys, body.if_contains("_source")));
  }
  hits_json["hits"] = std::move(page);
  result["hits"] = std::move(hits_json);

  const json::value* aggs = body.if_contains("aggs");
  if (!aggs) aggs = body.if_contains("aggregations");
  if (aggs) {
    if (!aggs->is_object()) fail(400, "parsing_exception", "Expected [START_OBJECT] under [aggs]");
    result["aggregations"] = run_aggregations(aggs->get_object(), matched, options.max_buckets);
  }
  return result;
}

}  // namespace achilles::testing::fake_elasticsearch_internal
