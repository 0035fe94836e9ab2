#include "codec/risk_acceptance_json.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::server {
namespace json = boost::json;

json::object risk_acceptance_json(const RiskAcceptance& r) {
  json::object o;
  o["acceptance_id"] = r.acceptance_id;
  if (r.org_id) o["org_id"] = *r.org_id;
  o["test_name"] = r.test_name;
  if (r.control_id) o["control_id"] = *r.control_id;
  if (r.hostname) o["hostname"] = *r.hostname;
  o["scope"] = r.effective_scope() == RiskScope::Host ? "host" : "global";
  o["justification"] = r.justification;
  o["accepted_by"] = r.accepted_by;
  o["accepted_by_name"] = r.accepted_by_name;
  o["accepted_at"] = format_iso_millis(r.accepted_at_ms);
  o["status"] = r.active ? "active" : "revoked";
  if (r.revoked_at_ms) o["revoked_at"] = format_iso_millis(*r.revoked_at_ms);
  if (r.revoked_by) o["revoked_by"] = *r.revoked_by;
  if (r.revoked_by_name) o["revoked_by_name"] = *r.revoked_by_name;
  if (r.revocation_reason) o["revocation_reason"] = *r.revocation_reason;
  return o;
}

AcceptRiskRequest accept_risk_request(const json::object& body) {
  AcceptRiskRequest req;
  std::vector<ValidationIssue> issues;
  auto text = [&](std::string_view key, bool required) -> std::optional<std::string> {
    auto it = body.find(key);
    if (it == body.end() || it->value().is_null()) {
      if (required) issues.push_back({std::string(key), "Invalid input: expected string, received undefined"});
      return std::nullopt;
    }
    if (!it->value().is_string()) {
      issues.push_back({std::string(key), "Invalid input: expected string"});
      return std::nullopt;
    }
    return std::string(it->value().get_string());
  };
  req.test_name = text("test_name", true).value_or("");
  req.control_id = text("control_id", false);
  req.hostname = text("hostname", false);
  req.scope = text("scope", false);
  req.justification = text("justification", true).value_or("");
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
  return req;
}

}  // namespace achilles::server
