#include "achilles/elasticsearch/risk_acceptance_source.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

std::optional<std::string> text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);  // a number or flag where text was expected still reads as its text
}

std::optional<std::int64_t> time_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double()) && std::fabs(v->get_double()) < 9.0e18)
    return static_cast<std::int64_t>(std::llround(v->get_double()));
  if (v->is_string()) {
    const std::string_view s = v->get_string();
    if (!s.starts_with("now") && s.find("||") == std::string_view::npos)
      if (auto ms = resolve_date_bound(s, RangeEdge::Lower, 0)) return ms;
  }
  return std::nullopt;
}

void put_optional(json::object& o, std::string_view key, const std::optional<std::string>& v) {
  if (v) o[key] = *v;
}

}  // namespace

json::value risk_acceptances_index_body() {
  json::object properties;
  for (const char* keyword : {"acceptance_id", "org_id", "test_name", "control_id", "hostname", "scope", "accepted_by",
                              "accepted_by_name", "status", "revoked_by", "revoked_by_name"})
    properties[keyword] = json::object{{"type", "keyword"}};
  for (const char* text : {"justification", "revocation_reason"}) properties[text] = json::object{{"type", "text"}};
  for (const char* date : {"accepted_at", "revoked_at"}) properties[date] = json::object{{"type", "date"}};
  return json::object{{"mappings", json::object{{"properties", std::move(properties)}}}};
}

json::object encode_risk_acceptance(const RiskAcceptance& r) {
  json::object o;
  o["acceptance_id"] = r.acceptance_id;
  put_optional(o, "org_id", r.org_id);
  o["test_name"] = r.test_name;
  put_optional(o, "control_id", r.control_id);
  put_optional(o, "hostname", r.hostname);
  if (r.scope) o["scope"] = risk_scope_name(*r.scope);
  o["justification"] = r.justification;
  o["accepted_by"] = r.accepted_by;
  o["accepted_by_name"] = r.accepted_by_name;
  o["accepted_at"] = format_iso_millis(r.accepted_at_ms);
  o["status"] = risk_status_name(r.status);
  if (r.revoked_at_ms) o["revoked_at"] = format_iso_millis(*r.revoked_at_ms);
  put_optional(o, "revoked_by", r.revoked_by);
  put_optional(o, "revoked_by_name", r.revoked_by_name);
  put_optional(o, "revocation_reason", r.revocation_reason);
  return o;
}

json::object encode_revocation(std::int64_t revoked_at_ms, const std::string& revoked_by, const std::string& revoked_by_name,
                               const std::string& reason) {
  return json::object{{"status", risk_status_name(RiskStatus::Revoked)},
                      {"revoked_at", format_iso_millis(revoked_at_ms)},
                      {"revoked_by", revoked_by},
                      {"revoked_by_name", revoked_by_name},
                      {"revocation_reason", reason}};
}

RiskAcceptance decode_risk_acceptance(const json::object& s, std::string_view document_id) {
  auto unreadable = [&](const char* why) {
    return BackendUnavailable(std::string("risk acceptance ") + std::string(document_id) + " in " + kRiskAcceptancesIndex +
                              " cannot be read: " + why);
  };
  RiskAcceptance r;
  r.acceptance_id = text_at(s, "acceptance_id").value_or(std::string(document_id));
  if (r.acceptance_id.empty()) throw unreadable("it has no acceptance_id");
  r.org_id = text_at(s, "org_id");
  if (r.org_id && r.org_id->empty()) r.org_id.reset();
  auto test_name = text_at(s, "test_name");
  if (!test_name || test_name->empty()) throw unreadable("it has no test_name");
  r.test_name = std::move(*test_name);
  r.control_id = text_at(s, "control_id");
  r.hostname = text_at(s, "hostname");
  if (auto scope = text_at(s, "scope")) r.scope = stored_risk_scope(*scope);
  r.justification = text_at(s, "justification").value_or("");
  r.accepted_by = text_at(s, "accepted_by").value_or("");
  r.accepted_by_name = text_at(s, "accepted_by_name").value_or("");
  const auto accepted_at = time_at(s, "accepted_at");
  if (!accepted_at) throw unreadable("accepted_at is not a date");
  r.accepted_at_ms = *accepted_at;
  r.status = parse_risk_status(text_at(s, "status").value_or("")).value_or(RiskStatus::Revoked);
  r.revoked_at_ms = time_at(s, "revoked_at");
  r.revoked_by = text_at(s, "revoked_by");
  r.revoked_by_name = text_at(s, "revoked_by_name");
  r.revocation_reason = text_at(s, "revocation_reason");
  return r;
}

}  // namespace achilles::elasticsearch
