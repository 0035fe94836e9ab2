#include "achilles/graph/graph_items_json.hpp"

#include <boost/json.hpp>

#include "achilles/json_fields/json_fields.hpp"

namespace achilles::graph {
namespace json = boost::json;
namespace {

const json::object kEmpty;

const json::object& object_of(const json::value& v) { return v.is_object() ? v.get_object() : kEmpty; }

using json_fields::number;
using json_fields::strings;
std::string text(const json::object& o, std::string_view key) { return json_fields::text_or_empty(o, key); }
std::optional<std::string> optional_text(const json::object& o, std::string_view key) { return json_fields::text(o, key); }
const json::object* child(const json::object& o, std::string_view key) { return json_fields::object(o, key); }

// A file the evidence names: its name and path, when present.
void add_file(const json::object* file, GraphAlertEvidence& evidence) {
  if (!file) return;
  if (auto name = optional_text(*file, "fileName")) evidence.file_names.push_back(*name);
  if (auto path = optional_text(*file, "filePath")) evidence.file_paths.push_back(*path);
}

}  // namespace

GraphSecureScore secure_score_of(const json::value& item) {
  const auto& o = object_of(item);
  GraphSecureScore s;
  s.id = text(o, "id");
  s.azure_tenant_id = text(o, "azureTenantId");
  s.created_date_time = text(o, "createdDateTime");
  s.current_score = number(o, "currentScore").value_or(0);
  s.max_score = number(o, "maxScore").value_or(0);
  if (const auto* list = o.if_contains("averageComparativeScores"); list && list->is_array())
    for (const auto& c : list->get_array())
      s.average_comparative_scores.push_back({text(object_of(c), "basis"), number(object_of(c), "averageScore")});
  if (const auto* list = o.if_contains("controlScores"); list && list->is_array())
    for (const auto& c : list->get_array()) {
      const auto& co = object_of(c);
      s.control_scores.push_back({text(co, "controlName"), text(co, "controlCategory"), number(co, "score").value_or(0)});
    }
  return s;
}

GraphControlProfile control_profile_of(const json::value& item) {
  const auto& o = object_of(item);
  GraphControlProfile p;
  p.id = text(o, "id");
  p.control_category = text(o, "controlCategory");
  p.title = text(o, "title");
  p.implementation_cost = text(o, "implementationCost");
  p.user_impact = text(o, "userImpact");
  p.rank = json_fields::whole_number(o, "rank");
  p.threats = strings(o, "threats");
  p.remediation = text(o, "remediation");
  p.action_url = text(o, "actionUrl");
  p.max_score = number(o, "maxScore").value_or(0);
  p.tier = text(o, "tier");
  if (const auto* d = o.if_contains("deprecated"); d && d->is_bool()) p.deprecated = d->get_bool();
  return p;
}

GraphAlert alert_of(const json::value& item) {
  const auto& o = object_of(item);
  GraphAlert a;
  a.id = text(o, "id");
  a.title = text(o, "title");
  a.description = text(o, "description");
  a.severity = text(o, "severity");
  a.status = text(o, "status");
  a.category = text(o, "category");
  a.service_source = text(o, "serviceSource");
  a.created_date_time = text(o, "createdDateTime");
  a.last_update_date_time = optional_text(o, "lastUpdateDateTime");
  a.resolved_date_time = optional_text(o, "resolvedDateTime");
  a.mitre_techniques = strings(o, "mitreTechniques");
  a.recommended_actions = text(o, "recommendedActions");
  if (const auto* list = o.if_contains("evidence"); list && list->is_array())
    for (const auto& e : list->get_array()) {
      const auto& eo = object_of(e);
      // As the original: by which properties an item has, whatever its @odata.type.
      if (auto dns = optional_text(eo, "deviceDnsName")) a.evidence.device_dns_names.push_back(*dns);
      add_file(child(eo, "imageFile"), a.evidence);
      if (const auto* parent = child(eo, "parentProcess")) add_file(child(*parent, "imageFile"), a.evidence);
      add_file(child(eo, "fileDetails"), a.evidence);
    }
  return a;
}

}  // namespace achilles::graph
