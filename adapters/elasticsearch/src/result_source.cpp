#include "achilles/elasticsearch/result_source.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <fmt/format.h>

#include "achilles/query/date_math.hpp"
#include "achilles/query/keyword_fields.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

// getField of §1.8: a dotted key wins, else walk the nesting. A null on the
// way means absent; a null at the end is the stored value null.
const json::value* stored(const json::object& obj, std::string_view path) {
  if (auto it = obj.find(path); it != obj.end()) return &it->value();
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) return nullptr;
  auto it = obj.find(path.substr(0, dot));
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return stored(it->value().get_object(), path.substr(dot + 1));
}

// Absent and null alike: what Elasticsearch indexes as "no value".
const json::value* field(const json::object& obj, std::string_view path) {
  const json::value* v = stored(obj, path);
  return v && !v->is_null() ? v : nullptr;
}

struct FieldError {
  std::string message;
};

// A double as Elasticsearch's keyword field indexes it (Java's
// Double.toString for the usual values): 3.0 → "3.0", 2.5 → "2.5".
std::string keyword_text_of(double x) {
  if (std::trunc(x) == x && std::fabs(x) < 1e7) return fmt::format("{:.1f}", x);
  return fmt::format("{}", x);
}

// Elasticsearch indexes a number or boolean given to a keyword field as its text.
bool add_keyword_value(const json::value& v, std::vector<std::string>& out) {
  if (v.is_string()) out.emplace_back(v.get_string());
  else if (v.is_bool()) out.emplace_back(v.get_bool() ? "true" : "false");
  else if (v.is_int64()) out.push_back(std::to_string(v.get_int64()));
  else if (v.is_uint64()) out.push_back(std::to_string(v.get_uint64()));
  else if (v.is_double()) out.push_back(keyword_text_of(v.get_double()));
  else if (v.is_array()) {  // nested arrays are flattened, nulls skipped
    for (const auto& item : v.get_array())
      if (!item.is_null() && !add_keyword_value(item, out)) return false;
  } else return false;
  return true;
}

Keywords read_keywords(const json::object& src, std::string_view path) {
  const json::value* v = stored(src, path);
  if (!v) return {};
  if (v->is_null()) return Keywords::null();
  std::vector<std::string> values;
  if (!add_keyword_value(*v, values))
    throw FieldError{fmt::format("{} must be a string or an array of strings", path)};
  if (v->is_array()) return Keywords(std::move(values));
  return Keywords(std::move(values.front()));
}

std::optional<bool> read_flag(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string() && (v->get_string() == "true" || v->get_string() == "false"))  // ES coerces these
    return v->get_string() == "true";
  throw FieldError{fmt::format("{} must be a boolean", path)};
}

std::optional<std::int64_t> read_integer(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 9e15)
    return static_cast<std::int64_t>(v->get_double());
  if (v->is_string()) {  // "126": Elasticsearch coerces numeric strings
    std::string_view s = v->get_string();
    std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (s.size() > start && s.size() < 19 && s.find_first_not_of("0123456789", start) == std::string_view::npos)
      return std::stoll(std::string(s));
  }
  throw FieldError{fmt::format("{} must be an integer", path)};
}

std::optional<std::int64_t> read_time(const json::object& src, std::string_view path, std::string& text) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  const auto in_range = [&](std::int64_t ms) -> std::int64_t {
    if (!within_time_range(ms)) throw FieldError{fmt::format("{} must be between 1970-01-01 and 9999-12-31", path)};
    return ms;
  };
  if (v->is_int64()) return in_range(v->get_int64());
  if (v->is_uint64()) throw FieldError{fmt::format("{} must be between 1970-01-01 and 9999-12-31", path)};
  if (v->is_string()) {
    std::string_view s = v->get_string();
    // A stored time is a date, not a date-math expression.
    if (!s.starts_with("now") && s.find("||") == std::string_view::npos)
      if (auto ms = resolve_date_bound(s, RangeEdge::Lower, 0)) {
        text = s;
        return ms;
      }
  }
  throw FieldError{fmt::format("{} must be an ISO-8601 date or epoch milliseconds between 1970 and 9999", path)};
}

std::optional<double> read_number(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  throw FieldError{fmt::format("{} must be a number", path)};
}

void put(json::object& o, std::string_view section, std::string_view key, json::value v) {
  auto& inner = o[section];
  if (!inner.is_object()) inner = json::object();
  inner.get_object()[key] = std::move(v);
}

}  // namespace

std::optional<std::string> decode_result_source(const json::object& src, ResultDocument& d) {
  try {
    d.event_time_ms = read_time(src, "routing.event_time", d.event_time_text);
    d.error_code = read_integer(src, "event.ERROR");
    for (std::size_t i = 0; i < kKeywordFieldCount; ++i) {
      const KeywordField f = keyword_field_at(i);
      keywords_of(d, f) = read_keywords(src, source_path(f));
    }
    d.is_protected = read_flag(src, "f0rtika.is_protected");
    d.score = read_number(src, "f0rtika.score");
    if (const json::value* v = stored(src, "f0rtika.score")) d.score_is_null = v->is_null();
    d.is_bundle_control = read_flag(src, "f0rtika.is_bundle_control").value_or(false);
    d.defender_detected = read_flag(src, "f0rtika.defender_detected").value_or(false);
    d.defender_stage_detected = read_flag(src, "f0rtika.defender_stage_detected").value_or(false);
  } catch (const FieldError& e) {
    return e.message;
  }
  return std::nullopt;
}

json::value keywords_json(const Keywords& k) {
  switch (k.form()) {
    case Keywords::Form::Absent:
    case Keywords::Form::Null: return nullptr;
    case Keywords::Form::One: return json::string(k.first());
    case Keywords::Form::Many: break;
  }
  json::array a;
  for (const auto& v : k.values()) a.emplace_back(v);
  return a;
}

json::object encode_result_source(const ResultDocument& d) {
  json::object o;
  if (!d.event_time_text.empty()) put(o, "routing", "event_time", json::string(d.event_time_text));
  else if (d.event_time_ms) put(o, "routing", "event_time", json::string(format_iso_millis(*d.event_time_ms)));
  if (d.error_code) put(o, "event", "ERROR", *d.error_code);
  for (std::size_t i = 0; i < kKeywordFieldCount; ++i) {
    const KeywordField f = keyword_field_at(i);
    const Keywords& k = keywords_of(d, f);
    if (k.form() == Keywords::Form::Absent) continue;
    const std::string_view path = source_path(f);
    const auto dot = path.find('.');
    put(o, path.substr(0, dot), path.substr(dot + 1), keywords_json(k));
  }
  if (d.is_protected) put(o, "f0rtika", "is_protected", *d.is_protected);
  if (d.score) put(o, "f0rtika", "score", *d.score);
  else if (d.score_is_null) put(o, "f0rtika", "score", nullptr);
  if (d.is_bundle_control) put(o, "f0rtika", "is_bundle_control", true);
  if (d.defender_detected) put(o, "f0rtika", "defender_detected", true);
  if (d.defender_stage_detected) put(o, "f0rtika", "defender_stage_detected", true);
  return o;
}

}  // namespace achilles::elasticsearch
