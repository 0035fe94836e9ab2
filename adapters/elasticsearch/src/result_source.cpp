#include "achilles/elasticsearch/result_source.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <fmt/format.h>

#include "achilles/query/date_math.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

// getField of §1.8: a dotted key wins, else walk the nesting; null = absent.
const json::value* field(const json::object& obj, std::string_view path) {
  if (auto it = obj.find(path); it != obj.end()) return it->value().is_null() ? nullptr : &it->value();
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) return nullptr;
  auto it = obj.find(path.substr(0, dot));
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return field(it->value().get_object(), path.substr(dot + 1));
}

struct FieldError {
  std::string message;
};

std::optional<std::string> read_keyword(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  if (v->is_string()) return std::string(v->get_string());
  throw FieldError{fmt::format("{} must be a string", path)};
}

std::vector<std::string> read_keywords(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) {
    out.emplace_back(v->get_string());
    return out;
  }
  if (!v->is_array()) throw FieldError{fmt::format("{} must be a string or an array of strings", path)};
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) throw FieldError{fmt::format("{} must be a string or an array of strings", path)};
    out.emplace_back(item.get_string());
  }
  return out;
}

bool read_flag(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return false;
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

std::optional<std::int64_t> read_time(const json::object& src, std::string_view path) {
  const json::value* v = field(src, path);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_string()) {
    std::string_view s = v->get_string();
    // A stored time is a date, not a date-math expression.
    if (!s.starts_with("now") && s.find("||") == std::string_view::npos)
      if (auto ms = resolve_date_bound(s, RangeEdge::Lower, 0)) return ms;
  }
  throw FieldError{fmt::format("{} must be an ISO-8601 date or epoch milliseconds", path)};
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

json::array strings(const std::vector<std::string>& values) {
  json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return a;
}

}  // namespace

std::optional<std::string> decode_result_source(const json::object& src, ResultDocument& d) {
  try {
    d.event_time_ms = read_time(src, "routing.event_time");
    d.org_id = read_keyword(src, "routing.oid").value_or("");
    d.hostname = read_keyword(src, "routing.hostname").value_or("");
    d.error_code = read_integer(src, "event.ERROR");
    d.test_uuid = read_keyword(src, "f0rtika.test_uuid");
    d.test_name = read_keyword(src, "f0rtika.test_name");
    d.is_protected = read_flag(src, "f0rtika.is_protected");
    d.error_name = read_keyword(src, "f0rtika.error_name").value_or("");
    d.category = read_keyword(src, "f0rtika.category").value_or("");
    d.subcategory = read_keyword(src, "f0rtika.subcategory").value_or("");
    d.severity = read_keyword(src, "f0rtika.severity").value_or("");
    d.techniques = read_keywords(src, "f0rtika.techniques");
    d.tactics = read_keywords(src, "f0rtika.tactics");
    d.target = read_keyword(src, "f0rtika.target").value_or("");
    d.complexity = read_keyword(src, "f0rtika.complexity").value_or("");
    d.threat_actor = read_keyword(src, "f0rtika.threat_actor").value_or("");
    d.tags = read_keywords(src, "f0rtika.tags");
    d.score = read_number(src, "f0rtika.score");
    d.bundle_id = read_keyword(src, "f0rtika.bundle_id").value_or("");
    d.bundle_name = read_keyword(src, "f0rtika.bundle_name").value_or("");
    d.control_id = read_keyword(src, "f0rtika.control_id").value_or("");
    d.control_validator = read_keyword(src, "f0rtika.control_validator").value_or("");
    d.is_bundle_control = read_flag(src, "f0rtika.is_bundle_control");
    d.defender_detected = read_flag(src, "f0rtika.defender_detected");
    d.defender_stage_detected = read_flag(src, "f0rtika.defender_stage_detected");
    d.tenant_label = read_keyword(src, "f0rtika.tenant_label").value_or("");
  } catch (const FieldError& e) {
    return e.message;
  }
  return std::nullopt;
}

json::object encode_result_source(const ResultDocument& d) {
  json::object o;
  if (d.event_time_ms) put(o, "routing", "event_time", json::string(format_iso_millis(*d.event_time_ms)));
  if (!d.org_id.empty()) put(o, "routing", "oid", json::string(d.org_id));
  if (!d.hostname.empty()) put(o, "routing", "hostname", json::string(d.hostname));
  if (d.test_uuid) put(o, "f0rtika", "test_uuid", json::string(*d.test_uuid));
  if (d.test_name) put(o, "f0rtika", "test_name", json::string(*d.test_name));
  put(o, "f0rtika", "is_protected", d.is_protected);
  auto text = [&](std::string_view key, const std::string& v) {
    if (!v.empty()) put(o, "f0rtika", key, json::string(v));
  };
  auto list = [&](std::string_view key, const std::vector<std::string>& v) {
    if (!v.empty()) put(o, "f0rtika", key, strings(v));
  };
  text("error_name", d.error_name);
  text("category", d.category);
  text("subcategory", d.subcategory);
  text("severity", d.severity);
  list("techniques", d.techniques);
  list("tactics", d.tactics);
  text("target", d.target);
  text("complexity", d.complexity);
  text("threat_actor", d.threat_actor);
  list("tags", d.tags);
  if (d.score) put(o, "f0rtika", "score", *d.score);
  text("bundle_id", d.bundle_id);
  text("bundle_name", d.bundle_name);
  text("control_id", d.control_id);
  text("control_validator", d.control_validator);
  if (d.is_bundle_control) put(o, "f0rtika", "is_bundle_control", true);
  if (d.defender_detected) put(o, "f0rtika", "defender_detected", true);
  if (d.defender_stage_detected) put(o, "f0rtika", "defender_stage_detected", true);
  text("tenant_label", d.tenant_label);
  if (d.error_code) put(o, "event", "ERROR", *d.error_code);
  return o;
}

}  // namespace achilles::elasticsearch
