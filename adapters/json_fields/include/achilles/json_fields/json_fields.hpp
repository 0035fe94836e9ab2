#pragma once
// Fields of JSON objects as the adapters read what others wrote (Graph,
// Clerk, the original's index): a field that is missing, null or of another
// type reads as absent, never as an error.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace achilles::json_fields {

inline std::optional<std::string> text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
}

inline std::string text_or_empty(const boost::json::object& o, std::string_view key) { return text(o, key).value_or(""); }

inline std::optional<double> number(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? std::optional<double>(v->to_number<double>()) : std::nullopt;
}

inline std::optional<bool> boolean(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? std::optional<bool>(v->get_bool()) : std::nullopt;
}

inline const boost::json::object* object(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

// A string, or an array of strings (other items skipped); otherwise empty.
inline std::vector<std::string> strings(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v && v->is_string()) out.emplace_back(v->get_string());
  if (v && v->is_array())
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

}  // namespace achilles::json_fields
