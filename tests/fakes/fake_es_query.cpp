// The query DSL subset, evaluated document by document.
#include <algorithm>
#include <cstdlib>
#include <utility>

#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {
namespace {

[[noreturn]] void malformed(const std::string& reason) { fail(400, "parsing_exception", reason, {{"line", 1}, {"col", 1}}); }

const json::object& object_of(const json::value& v, std::string_view what) {
  if (const auto* o = v.if_object()) return *o;
  malformed("[" + std::string(what) + "] query malformed, no start_object after query name");
}

// The single `field: operand` pair of term/terms/range/… (ignoring `boost`).
std::pair<std::string, const json::value*> field_operand(const json::object& body, std::string_view what) {
  for (const auto& kv : body) {
    if (kv.key() == "boost" || kv.key() == "_name") continue;
    return {std::string(kv.key()), &kv.value()};
  }
  malformed("[" + std::string(what) + "] query does not support an empty body");
}

std::vector<const json::value*> clauses(const json::value& v) {
  std::vector<const json::value*> out;
  if (const auto* arr = v.if_array()) {
    for (const auto& e : *arr) out.push_back(&e);
  } else {
    out.push_back(&v);
  }
  return out;
}

std::size_t minimum_should_match(const json::object& b, bool has_should, bool has_required) {
  if (const auto* m = b.if_contains("minimum_should_match")) {
    if (m->is_int64()) return static_cast<std::size_t>(std::max<std::int64_t>(0, m->get_int64()));
    if (const auto* s = m->if_string()) return static_cast<std::size_t>(std::max(0, std::atoi(s->c_str())));
  }
  return has_should && !has_required ? 1 : 0;
}

bool term_matches(const Hit& hit, const std::string& field, const json::value& operand) {
  for (const auto& v : values_of(hit, field)) {
    if (const auto q = coerce(operand, v.kind); q && *q == v) return true;
  }
  return false;
}

bool range_matches(const Hit& hit, const std::string& field, const json::object& r) {
  const auto* format = r.if_contains("format");
  const bool epoch_millis = format && format->is_string() && format->get_string().find("epoch_millis") == 0;
  for (const auto& v : values_of(hit, field)) {
    bool all = true;
    for (const auto& kv : r) {
      const std::string_view op = kv.key();
      const bool up = op == "gt" || op == "lte";
      if (op != "gte" && op != "gt" && op != "lte" && op != "lt" && op != "from" && op != "to") continue;
      if (kv.value().is_null()) continue;  // an open end
      std::optional<Value> bound;
      if (epoch_millis && v.kind == Value::Kind::Date) {
        bound = coerce(json::value(std::atoll(describe(kv.value()).c_str())), v.kind);
      } else {
        bound = coerce(kv.value(), v.kind, up);
      }
      if (!bound) {
        all = false;
        break;
      }
      const int c = compare(v, *bound);
      if ((op == "gte" || op == "from") && c < 0) all = false;
      if (op == "gt" && c <= 0) all = false;
      if ((op == "lte" || op == "to") && c > 0) all = false;
      if (op == "lt" && c >= 0) all = false;
      if (!all) break;
    }
    if (all) return true;
  }
  return false;
}

// Elasticsearch's wildcard pattern: `*` any run, `?` one character, `\` escapes.
bool wildcard_fits(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (std::size_t skip = 0; skip <= text.size(); ++skip)
      if (wildcard_fits(pattern.substr(1), text.substr(skip))) return true;
    return false;
  }
  if (text.empty()) return false;
  if (pattern[0] == '?') return wildcard_fits(pattern.substr(1), text.substr(1));
  if (pattern[0] == '\\' && pattern.size() > 1) return pattern[1] == text[0] && wildcard_fits(pattern.substr(2), text.substr(1));
  return pattern[0] == text[0] && wildcard_fits(pattern.substr(1), text.substr(1));
}

// The operand of prefix/wildcard: "value" or {"value": "..."}.
std::string pattern_operand(const json::value& operand) {
  const auto* o = operand.if_object();
  const json::value* v = o ? o->if_contains("value") : &operand;
  if (!v || !v->is_string()) malformed("[wildcard] query requires a string value");
  return std::string(v->get_string());
}

bool string_values_match(const Hit& hit, const std::string& field, auto&& test) {
  for (const auto& v : values_of(hit, field))
    if (v.kind == Value::Kind::String && test(v.s)) return true;
  return false;
}

// multi_match (best_fields, operator or): a text field matches any analysed
// word of the query; a keyword field the whole query.
bool multi_match_matches(const json::object& body, const Hit& hit) {
  const auto* query = body.if_contains("query");
  const auto* fields = body.if_contains("fields");
  if (!query || !fields || !fields->is_array()) malformed("[multi_match] requires query and fields");
  const std::string text = describe(*query);
  std::vector<std::string> words;
  std::string word;
  for (const char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  for (const auto& f : fields->get_array()) {
    if (!f.is_string()) continue;
    const std::string field(f.get_string());
    const bool analysed = hit.index->type_of(field) == FieldType::Text;
    if (string_values_match(hit, field, [&](const std::string& v) {
          return analysed ? std::find(words.begin(), words.end(), v) != words.end() : v == text;
        }))
      return true;
  }
  return false;
}

bool bool_matches(const json::object& b, const Hit& hit) {
  bool has_required = false;
  for (const char* key : {"filter", "must"}) {
    if (const auto* c = b.if_contains(key)) {
      for (const auto* q : clauses(*c)) {
        has_required = true;
        if (!matches(*q, hit)) return false;
      }
    }
  }
  if (const auto* c = b.if_contains("must_not")) {
    for (const auto* q : clauses(*c)) {
      if (matches(*q, hit)) return false;
    }
  }
  const auto* should = b.if_contains("should");
  const auto should_clauses = should ? clauses(*should) : std::vector<const json::value*>{};
  const std::size_t needed = minimum_should_match(b, !should_clauses.empty(), has_required);
  if (needed == 0) return true;
  std::size_t met = 0;
  for (const auto* q : should_clauses) {
    if (matches(*q, hit) && ++met >= needed) return true;
  }
  return false;
}

}  // namespace

void validate_query(const json::value& query) {
  const auto& o = object_of(query, "query");
  if (o.size() != 1) malformed("[_na] query malformed, must start with start_object");
  const auto& kv = *o.begin();
  const std::string_view type = kv.key();
  if (type == "bool") {
    for (const auto& c : object_of(kv.value(), type)) {
      if (c.key() == "filter" || c.key() == "must" || c.key() == "should" || c.key() == "must_not") {
        for (const auto* q : clauses(c.value())) validate_query(*q);
      } else if (c.key() != "minimum_should_match" && c.key() != "boost" && c.key() != "_name") {
        malformed("[bool] query does not support [" + std::string(c.key()) + "]");
      }
    }
  } else if (type == "term" || type == "terms" || type == "range" || type == "prefix" || type == "wildcard") {
    (void)field_operand(object_of(kv.value(), type), type);
  } else if (type == "exists") {
    const auto* f = object_of(kv.value(), type).if_contains("field");
    if (!f || !f->is_string()) malformed("[exists] must be provided with a [field]");
  } else if (type != "match_all" && type != "match_none" && type != "ids" && type != "multi_match") {
    malformed("unknown query [" + std::string(type) + "]");
  }
}

bool matches(const json::value& query, const Hit& hit) {
  const auto& kv = *query.get_object().begin();
  const std::string_view type = kv.key();
  if (type == "match_all") return true;
  if (type == "match_none") return false;
  const auto& body = kv.value().get_object();
  if (type == "bool") return bool_matches(body, hit);
  if (type == "exists") return !values_of(hit, body.at("field").get_string()).empty();
  if (type == "multi_match") return multi_match_matches(body, hit);
  if (type == "ids") {
    if (const auto* ids = body.if_contains("values"); ids && ids->is_array()) {
      for (const auto& id : ids->get_array()) {
        if (describe(id) == hit.doc->id) return true;
      }
    }
    return false;
  }
  const auto [field, operand] = field_operand(body, type);
  if (type == "term") {
    const auto* o = operand->if_object();
    const json::value* value = o ? o->if_contains("value") : operand;
    return value && term_matches(hit, field, *value);
  }
  if (type == "terms") {
    if (const auto* arr = operand->if_array()) {
      return std::any_of(arr->begin(), arr->end(), [&](const json::value& t) { return term_matches(hit, field, t); });
    }
    return false;
  }
  if (type == "range") return range_matches(hit, field, object_of(*operand, "range"));
  if (type == "prefix") {
    const std::string prefix = pattern_operand(*operand);
    return string_values_match(hit, field, [&](const std::string& v) { return v.compare(0, prefix.size(), prefix) == 0; });
  }
  if (type == "wildcard") {
    const std::string pattern = pattern_operand(*operand);
    return string_values_match(hit, field, [&](const std::string& v) { return wildcard_fits(pattern, v); });
  }
  return false;
}

Hits filter_hits(const json::value* query, const Hits& in) {
  if (!query) return in;
  validate_query(*query);
  Hits out;
  for (const auto& h : in) {
    if (matches(*query, h)) out.push_back(h);
  }
  return out;
}

}  // namespace achilles::testing::fake_elasticsearch_internal
