#include "codec/risk_acceptance_json.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/risk_acceptance_source.hpp"
#include "achilles/errors.hpp"
#include "achilles/services/risk_acceptance_service.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

// The messages follow the original's schema library, which the dashboard shows.
std::string expected(std::string_view type, const json::value* got) {
  std::string received = "undefined";
  if (got) {
    if (got->is_null()) received = "null";
    else if (got->is_string()) received = "string";
    else if (got->is_number()) received = "number";
    else if (got->is_bool()) received = "boolean";
    else if (got->is_array()) received = "array";
    else received = "object";
  }
  return "Invalid input: expected " + std::string(type) + ", received " + received;
}

// Reads string fields, collecting every issue before failing once.
class Reader {
public:
  explicit Reader(const json::object& body) : body_(body) {}

  std::optional<std::string> text(std::string_view key, bool required) {
    const json::value* v = body_.if_contains(key);
    // An explicit null reads as absent for optional fields, as the
    // dashboard sends `"control_id": null` for a whole test.
    if (v && v->is_string()) return std::string(v->get_string());
    if ((!v || v->is_null()) && !required) return std::nullopt;
    issues_.push_back({std::string(key), expected("string", v)});
    return std::nullopt;
  }
  void done() {
    if (!issues_.empty()) throw ValidationFailed(std::move(issues_));
  }

private:
  const json::object& body_;
  std::vector<ValidationIssue> issues_;
};

}  // namespace

json::object risk_acceptance_json(const RiskAcceptance& r) {
  // The original answers with the stored record; a legacy one's scope is resolved.
  json::object o = elasticsearch::encode_risk_acceptance(r);
  o["scope"] = risk_scope_name(r.effective_scope());
  return o;
}

AcceptRiskRequest accept_risk_request(const json::object& body) {
  Reader in(body);
  AcceptRiskRequest req;
  req.test_name = in.text("test_name", true).value_or("");
  req.control_id = in.text("control_id", false);
  req.hostname = in.text("hostname", false);
  req.scope = in.text("scope", false);
  req.justification = in.text("justification", true).value_or("");
  in.done();
  return req;
}

std::string revoke_reason(const json::object& body) {
  Reader in(body);
  auto reason = in.text("reason", true);
  in.done();
  return *reason;
}

std::vector<std::string> lookup_test_names(const json::object& body) {
  const json::value* v = body.if_contains("test_names");
  if (!v || !v->is_array())
    throw ValidationFailed(std::vector<ValidationIssue>{{"test_names", expected("array", v)}});
  std::vector<std::string> names;
  std::vector<ValidationIssue> issues;
  const auto& items = v->get_array();
  // The size first: a body of a million names is refused before any is looked at.
  if (items.size() > RiskAcceptanceService::kMaxLookupNames)
    throw ValidationFailed(std::vector<ValidationIssue>{{"test_names", "Too big: expected array to have <=500 items"}});
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_string()) names.emplace_back(items[i].get_string());
    else issues.push_back({"test_names." + std::to_string(i), expected("string", &items[i])});
  }
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
  return names;
}

}  // namespace achilles::server
