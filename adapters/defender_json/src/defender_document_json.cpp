#include "achilles/defender_json/defender_document_json.hpp"

#include <boost/json.hpp>

#include "achilles/json_fields/json_fields.hpp"

namespace achilles::defender_json {
namespace json = boost::json;
namespace {

using json_fields::string_array;
using json_fields::value_or_null;

std::string text(const json::object& o, std::string_view key) { return json_fields::text_or_empty(o, key); }
std::optional<std::string> optional_text(const json::object& o, std::string_view key) { return json_fields::text(o, key); }
double number(const json::object& o, std::string_view key) { return json_fields::number(o, key).value_or(0.0); }
std::optional<double> optional_number(const json::object& o, std::string_view key) { return json_fields::number(o, key); }
std::optional<bool> optional_bool(const json::object& o, std::string_view key) { return json_fields::boolean(o, key); }
std::vector<std::string> string_list(const json::object& o, std::string_view key) { return json_fields::strings(o, key); }

bool is_type(const json::object& o, std::string_view type) { return text(o, "doc_type") == type; }

}  // namespace

json::object encode(const SecureScoreDocument& d) {
  json::array controls;
  for (const auto& c : d.control_scores)
    controls.push_back(json::object{{"name", c.name}, {"category", c.category}, {"score", c.score}});
  return {{"doc_type", "secure_score"},
          {"timestamp", d.timestamp},
          {"tenant_id", d.tenant_id},
          {"current_score", d.current_score},
          {"max_score", d.max_score},
          {"score_percentage", d.score_percentage},
          {"control_scores", std::move(controls)},
          {"average_comparative_score", value_or_null(d.average_comparative_score)}};
}

json::object encode(const ControlProfileDocument& d) {
  return {{"doc_type", "control_profile"},
          {"timestamp", d.timestamp},
          {"tenant_id", d.tenant_id},
          {"control_name", d.control_name},
          {"control_category", d.control_category},
          {"title", d.title},
          {"implementation_cost", d.implementation_cost},
          {"user_impact", d.user_impact},
          {"rank", value_or_null(d.rank)},
          {"threats", string_array(d.threats)},
          {"deprecated", d.deprecated},
          {"remediation_summary", d.remediation_summary},
          {"action_url", d.action_url},
          {"max_score", d.max_score},
          {"tier", d.tier}};
}

json::object encode(const AlertAnnotations& a) {
  json::object o;
  if (a.achilles_correlated) o["achilles_correlated"] = *a.achilles_correlated;
  if (a.achilles_test_uuid) o["achilles_test_uuid"] = *a.achilles_test_uuid;
  if (a.achilles_matched_at) o["achilles_matched_at"] = *a.achilles_matched_at;
  if (a.auto_resolved) o["auto_resolved"] = *a.auto_resolved;
  if (a.auto_resolved_at) o["auto_resolved_at"] = *a.auto_resolved_at;
  if (a.auto_resolve_mode) o["auto_resolve_mode"] = *a.auto_resolve_mode;
  if (a.auto_resolve_error) o["auto_resolve_error"] = *a.auto_resolve_error;
  return o;
}

json::object encode(const AlertDocument& d) {
  json::object o{{"doc_type", "alert"},
                 {"timestamp", d.timestamp},
                 {"tenant_id", d.tenant_id},
                 {"alert_id", d.alert_id},
                 {"alert_title", d.alert_title},
                 {"description", d.description},
                 {"severity", d.severity},
                 {"status", d.status},
                 {"category", d.category},
                 {"service_source", d.service_source},
                 {"mitre_techniques", string_array(d.mitre_techniques)},
                 {"created_at", d.created_at}};
  if (d.updated_at) o["updated_at"] = *d.updated_at;  // omitted when Graph sent none
  o["resolved_at"] = value_or_null(d.resolved_at);
  o["recommended_actions"] = d.recommended_actions;
  o["evidence_hostnames"] = string_array(d.evidence_hostnames);
  o["evidence_filenames"] = string_array(d.evidence_filenames);
  o["evidence_filepaths"] = string_array(d.evidence_filepaths);
  if (!d.f0rtika.empty()) o["f0rtika"] = encode(d.f0rtika);
  return o;
}

std::optional<SecureScoreDocument> decode_secure_score(const json::object& s, std::string id) {
  if (!is_type(s, "secure_score")) return std::nullopt;
  SecureScoreDocument d;
  d.id = std::move(id);
  d.timestamp = text(s, "timestamp");
  d.tenant_id = text(s, "tenant_id");
  d.current_score = number(s, "current_score");
  d.max_score = number(s, "max_score");
  d.score_percentage = number(s, "score_percentage");
  d.average_comparative_score = optional_number(s, "average_comparative_score");
  if (const auto* controls = s.if_contains("control_scores"); controls && controls->is_array())
    for (const auto& c : controls->get_array())
      if (const auto* o = c.if_object()) d.control_scores.push_back({text(*o, "name"), text(*o, "category"), number(*o, "score")});
  return d;
}

std::optional<ControlProfileDocument> decode_control_profile(const json::object& s, std::string id) {
  if (!is_type(s, "control_profile")) return std::nullopt;
  ControlProfileDocument d;
  d.id = std::move(id);
  d.timestamp = text(s, "timestamp");
  d.tenant_id = text(s, "tenant_id");
  d.control_name = text(s, "control_name");
  d.control_category = text(s, "control_category");
  d.title = text(s, "title");
  d.implementation_cost = text(s, "implementation_cost");
  d.user_impact = text(s, "user_impact");
  d.rank = json_fields::whole_number(s, "rank");
  d.threats = string_list(s, "threats");
  d.deprecated = optional_bool(s, "deprecated").value_or(false);
  d.remediation_summary = text(s, "remediation_summary");
  d.action_url = text(s, "action_url");
  d.max_score = number(s, "max_score");
  d.tier = text(s, "tier");
  return d;
}

AlertAnnotations decode_annotations(const json::object& f) {
  AlertAnnotations a;
  a.achilles_correlated = optional_bool(f, "achilles_correlated");
  a.achilles_test_uuid = optional_text(f, "achilles_test_uuid");
  a.achilles_matched_at = optional_text(f, "achilles_matched_at");
  a.auto_resolved = optional_bool(f, "auto_resolved");
  a.auto_resolved_at = optional_text(f, "auto_resolved_at");
  a.auto_resolve_mode = optional_text(f, "auto_resolve_mode");
  a.auto_resolve_error = optional_text(f, "auto_resolve_error");
  return a;
}

std::optional<AlertDocument> decode_alert(const json::object& s, std::string id) {
  if (!is_type(s, "alert")) return std::nullopt;
  AlertDocument d;
  d.id = std::move(id);
  d.timestamp = text(s, "timestamp");
  d.tenant_id = text(s, "tenant_id");
  d.alert_id = text(s, "alert_id");
  d.alert_title = text(s, "alert_title");
  d.description = text(s, "description");
  d.severity = text(s, "severity");
  d.status = text(s, "status");
  d.category = text(s, "category");
  d.service_source = text(s, "service_source");
  d.mitre_techniques = string_list(s, "mitre_techniques");
  d.created_at = text(s, "created_at");
  d.updated_at = optional_text(s, "updated_at");
  d.resolved_at = optional_text(s, "resolved_at");
  d.recommended_actions = text(s, "recommended_actions");
  d.evidence_hostnames = string_list(s, "evidence_hostnames");
  d.evidence_filenames = string_list(s, "evidence_filenames");
  d.evidence_filepaths = string_list(s, "evidence_filepaths");
  if (const auto* f = s.if_contains("f0rtika"); f && f->is_object()) d.f0rtika = decode_annotations(f->get_object());
  return d;
}

json::object encode(const AutoResolveReceipt& r) {
  return {{"doc_type", "auto_resolve_receipt"}, {"receipt_id", r.id},       {"receipt_at", r.at},
          {"alert_doc_id", r.alert_doc_id},      {"alert_id", r.alert_id},   {"alert_title", r.alert_title},
          {"severity", r.severity},              {"test_uuid", r.test_uuid}, {"mode", r.mode},
          {"outcome", r.outcome},                {"detail", r.detail}};
}

std::optional<AutoResolveReceipt> decode_receipt(const json::object& o) {
  if (!is_type(o, "auto_resolve_receipt")) return std::nullopt;
  AutoResolveReceipt r;
  r.id = text(o, "receipt_id");
  r.at = text(o, "receipt_at");
  r.alert_doc_id = text(o, "alert_doc_id");
  r.alert_id = text(o, "alert_id");
  r.alert_title = text(o, "alert_title");
  r.severity = text(o, "severity");
  r.test_uuid = text(o, "test_uuid");
  r.mode = text(o, "mode");
  r.outcome = text(o, "outcome");
  r.detail = text(o, "detail");
  if (r.id.empty() || r.outcome.empty()) return std::nullopt;
  return r;
}

}  // namespace achilles::defender_json
