#pragma once
// Fields of JSON objects as the adapters read what others wrote (Graph,
// Clerk, the original's index): a field that is missing, null or of another
// type reads as absent, never as an error.
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
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

// A whole number: an integer, or a finite double within int64's range (truncated).
inline std::optional<std::int64_t> whole_number(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX) ? std::optional<std::int64_t>(static_cast<std::int64_t>(v->get_uint64())) : std::nullopt;
  if (v->is_double() && std::isfinite(v->get_double()) && v->get_double() >= -9.2e18 && v->get_double() <= 9.2e18)
    return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
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

// And the other way: what the adapters write.
inline boost::json::array string_array(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

template <typename T>
boost::json::value value_or_null(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value_from(*v);
}

}  // namespace achilles::json_fields
