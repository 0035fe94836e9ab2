// Documents, mappings and field values of the fake Elasticsearch.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "achilles/query/date_math.hpp"
#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {

void fail(int status, std::string type, std::string reason, json::object extra) {
  throw EsError{status, std::move(type), std::move(reason), std::move(extra)};
}

void index_not_found(const std::string& name) {
  fail(404, "index_not_found_exception", "no such index [" + name + "]",
       {{"resource.type", "index_or_alias"}, {"resource.id", name}, {"index_uuid", "_na_"}, {"index", name}});
}

json::object error_body(const EsError& e) {
  json::object cause{{"type", e.type}, {"reason", e.reason}};
  for (const auto& kv : e.extra) cause[kv.key()] = kv.value();
  json::object error;
  if (e.outer_type.empty()) {
    error = cause;
  } else {
    // ES reports a failure inside a search as a failed shard of a wrapping exception.
    error = {{"type", e.outer_type}, {"reason", "all shards failed"}, {"phase", "query"}, {"grouped", true},
             {"failed_shards", json::array{json::object{{"shard", 0}, {"index", "fake"}, {"node", "fake"}, {"reason", cause}}}},
             {"caused_by", cause}};
  }
  error["root_cause"] = json::array{cause};
  return {{"error", std::move(error)}, {"status", e.status}};
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string describe(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string(*s);
  return json::serialize(v);
}

// --- mappings ----------------------------------------------------------------

namespace {

FieldType type_named(std::string_view t) {
  if (t == "date" || t == "date_nanos") return FieldType::Date;
  if (t == "boolean") return FieldType::Boolean;
  if (t == "long" || t == "integer" || t == "short" || t == "byte" || t == "unsigned_long") return FieldType::Integer;
  if (t == "float" || t == "double" || t == "half_float" || t == "scaled_float") return FieldType::Float;
  if (t == "keyword" || t == "constant_keyword" || t == "wildcard") return FieldType::Keyword;
  if (t == "text" || t == "match_only_text") return FieldType::Text;
  return FieldType::Dynamic;
}

void collect_types(const json::object& properties, const std::string& prefix, std::map<std::string, FieldType>& out,
                   std::map<std::string, std::string, std::less<>>& multi) {
  for (const auto& kv : properties) {
    const auto* field = kv.value().if_object();
    if (!field) continue;
    const std::string path = prefix + std::string(kv.key());
    if (const auto* t = field->if_contains("type"); t && t->is_string()) out[path] = type_named(t->get_string());
    if (const auto* sub = field->if_contains("properties"); sub && sub->is_object()) {
      collect_types(sub->get_object(), path + ".", out, multi);
    }
    if (const auto* fields = field->if_contains("fields"); fields && fields->is_object()) {
      collect_types(fields->get_object(), path + ".", out, multi);
      for (const auto& f : fields->get_object()) multi[path + "." + std::string(f.key())] = path;
    }
  }
}

}  // namespace

void Index::set_mappings(json::object m) {
  mappings = std::move(m);
  types.clear();
  multi_field_source.clear();
  if (const auto* p = mappings.if_contains("properties"); p && p->is_object())
    collect_types(p->get_object(), "", types, multi_field_source);
}

std::string Index::source_path(std::string_view path) const {
  const auto it = multi_field_source.find(path);
  return it == multi_field_source.end() ? std::string(path) : it->second;
}

FieldType Index::type_of(std::string_view path) const {
  const auto it = types.find(std::string(path));
  return it == types.end() ? FieldType::Dynamic : it->second;
}

Document* Index::find(std::string_view id) {
  for (auto& d : docs) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

// --- dates -------------------------------------------------------------------

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t k = pos; k < pos + n; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
    out = out * 10 + (s[k] - '0');
  }
  return true;
}

}  // namespace

// strict_date_optional_time: YYYY[-MM[-DD[THH:mm[:ss[.f{1,9}]]]]][Z|±hh:mm|±hhmm]
std::optional<std::int64_t> parse_iso_date(std::string_view s) {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year)) return std::nullopt;
  std::size_t p = 4;
  if (p < s.size() && s[p] == '-') {
    if (!digits(s, p + 1, 2, month)) return std::nullopt;
    p += 3;
    if (p < s.size() && s[p] == '-') {
      if (!digits(s, p + 1, 2, day)) return std::nullopt;
      p += 3;
    }
  }
  std::int64_t millis = 0;
  std::int64_t offset_minutes = 0;
  if (p < s.size() && s[p] == 'T') {
    if (!digits(s, p + 1, 2, hour) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(s, p + 4, 2, minute)) return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, second)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        std::size_t q = p + 1;
        int scale = 100;
        while (q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) {
          millis += (s[q] - '0') * scale;
          scale /= 10;
          ++q;
        }
        if (q == p + 1 || q - p - 1 > 9) return std::nullopt;
        p = q;
      }
    }
    if (p < s.size() && s[p] == 'Z') {
      ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int oh = 0, om = 0;
      if (!digits(s, p + 1, 2, oh)) return std::nullopt;
      std::size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      if (!digits(s, q, 2, om)) return std::nullopt;
      offset_minutes = (s[p] == '-' ? -1 : 1) * (oh * 60 + om);
      p = q + 2;
    }
  }
  if (p != s.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kMillisPerDay + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis;
}

// --- values ------------------------------------------------------------------

namespace {

std::optional<double> number_in(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  if (const auto* s = v.if_string()) {
    double d = 0;
    const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), d);
    if (ec == std::errc{} && ptr == s->data() + s->size() && !s->empty()) return d;
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer_in(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  if (const auto d = number_in(v)) return static_cast<std::int64_t>(*d);
  return std::nullopt;
}

std::optional<bool> boolean_in(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (const auto* s = v.if_string()) {
    if (*s == "true") return true;
    if (*s == "false") return false;
  }
  return std::nullopt;
}

Value make_int(Value::Kind k, std::int64_t i) {
  Value v;
  v.kind = k;
  v.i = i;
  return v;
}

Value make_float(double f) {
  Value v;
  v.kind = Value::Kind::Float;
  v.f = f;
  return v;
}

Value make_string(std::string s) {
  Value v;
  v.kind = Value::Kind::String;
  v.s = std::move(s);
  return v;
}

void walk(const json::value& v, std::string_view path, std::vector<const json::value*>& out);

void walk_object(const json::object& o, std::string_view path, std::vector<const json::value*>& out) {
  if (const auto* exact = o.if_contains(path)) walk(*exact, {}, out);
  // Objects may also be reached through any split of the dotted path.
  for (std::size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    if (const auto* head = o.if_contains(path.substr(0, dot)); head && (head->is_object() || head->is_array())) {
      walk(*head, path.substr(dot + 1), out);
    }
  }
}

void walk(const json::value& v, std::string_view path, std::vector<const json::value*>& out) {
  if (const auto* arr = v.if_array()) {
    for (const auto& e : *arr) walk(e, path, out);
  } else if (path.empty()) {
    if (!v.is_null() && !v.is_object()) out.push_back(&v);
  } else if (const auto* o = v.if_object()) {
    walk_object(*o, path, out);
  }
}

}  // namespace

std::vector<const json::value*> raw_values(const json::object& source, std::string_view path) {
  std::vector<const json::value*> out;
  walk_object(source, path, out);
  return out;
}

std::optional<Value> to_value(const json::value& raw, FieldType type) {
  switch (type) {
    case FieldType::Date:
      if (const auto* s = raw.if_string()) {
        if (const auto ms = parse_iso_date(*s)) return make_int(Value::Kind::Date, *ms);
      }
      if (const auto i = integer_in(raw)) return make_int(Value::Kind::Date, *i);
      return std::nullopt;
    case FieldType::Boolean:
      if (const auto b = boolean_in(raw)) return make_int(Value::Kind::Boolean, *b ? 1 : 0);
      return std::nullopt;
    case FieldType::Integer:
      if (const auto i = integer_in(raw)) return make_int(Value::Kind::Integer, *i);
      return std::nullopt;
    case FieldType::Float:
      if (const auto d = number_in(raw)) return make_float(*d);
      return std::nullopt;
    case FieldType::Keyword:
    case FieldType::Text:
      return make_string(describe(raw));
    case FieldType::Dynamic:
      break;
  }
  // Unmapped: what ES's dynamic mapping would have chosen for this value.
  if (raw.is_bool()) return make_int(Value::Kind::Boolean, raw.get_bool() ? 1 : 0);
  if (raw.is_int64() || raw.is_uint64()) return make_int(Value::Kind::Integer, *integer_in(raw));
  if (raw.is_double()) return make_float(raw.get_double());
  if (const auto* s = raw.if_string()) {
    if (s->size() >= 10) {
      if (const auto ms = parse_iso_date(*s)) return make_int(Value::Kind::Date, *ms);
    }
    return make_string(std::string(*s));
  }
  return std::nullopt;
}

std::vector<Value> values_of(const Hit& hit, std::string_view path) {
  std::vector<Value> out;
  const FieldType type = hit.index->type_of(path);
  for (const auto* raw : raw_values(hit.doc->source, hit.index->source_path(path))) {
    if (type == FieldType::Text) {  // the standard analyser, roughly: lower-cased alphanumeric runs
      std::string token;
      for (const char c : describe(*raw) + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
          token.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else if (!token.empty()) {
          out.push_back(make_string(token));
          token.clear();
        }
      }
      continue;
    }
    if (auto v = to_value(*raw, type)) out.push_back(std::move(*v));
  }
  return out;
}

std::optional<Value> coerce(const json::value& operand, Value::Kind kind, bool round_up) {
  switch (kind) {
    case Value::Kind::Date:
      if (const auto* s = operand.if_string()) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
        if (const auto ms = resolve_date_bound(*s, round_up ? RangeEdge::Upper : RangeEdge::Lower, now)) {
          return make_int(Value::Kind::Date, *ms);
        }
        if (const auto ms = parse_iso_date(*s)) return make_int(Value::Kind::Date, *ms);
      }
      if (const auto i = integer_in(operand)) return make_int(Value::Kind::Date, *i);
      return std::nullopt;
    case Value::Kind::Boolean:
      if (const auto b = boolean_in(operand)) return make_int(Value::Kind::Boolean, *b ? 1 : 0);
      // Sort values and bucket keys of booleans come back as 1/0.
      if (operand.is_int64() && (operand.get_int64() == 0 || operand.get_int64() == 1)) {
        return make_int(Value::Kind::Boolean, operand.get_int64());
      }
      return std::nullopt;
    case Value::Kind::Integer:
    case Value::Kind::Float:
      if (const auto d = number_in(operand)) {
        if (operand.is_int64() || operand.is_uint64()) return make_int(Value::Kind::Integer, *integer_in(operand));
        return make_float(*d);
      }
      return std::nullopt;
    case Value::Kind::String:
      if (operand.is_null() || operand.is_object() || operand.is_array()) return std::nullopt;
      return make_string(describe(operand));
  }
  return std::nullopt;
}

int compare(const Value& a, const Value& b) {
  if (a.numeric() && b.numeric()) {
    if (a.kind != Value::Kind::Float && b.kind != Value::Kind::Float) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    const double x = a.number(), y = b.number();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.numeric() != b.numeric()) return a.numeric() ? -1 : 1;
  const int c = a.s.compare(b.s);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }

json::value key_json(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Float: return v.f;
    case Value::Kind::String: return json::string(v.s);
    default: return v.i;
  }
}

}  // namespace achilles::testing::fake_elasticsearch_internal
