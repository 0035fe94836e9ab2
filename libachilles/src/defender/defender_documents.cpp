#include "achilles/domain/defender_documents.hpp"

#include <algorithm>
#include <cctype>

namespace achilles {
namespace {

// First-seen order, empties skipped, no repeats.
std::vector<std::string> distinct(const std::vector<std::string>& values, int (*convert)(int)) {
  std::vector<std::string> out;
  for (std::string v : values) {
    if (v.empty()) continue;
    std::transform(v.begin(), v.end(), v.begin(), [convert](unsigned char c) { return static_cast<char>(convert(c)); });
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

SecureScoreDocument secure_score_document(const GraphSecureScore& s) {
  SecureScoreDocument d;
  d.id = "score-" + s.created_date_time.substr(0, s.created_date_time.find('T'));
  d.timestamp = s.created_date_time;
  d.tenant_id = s.azure_tenant_id;
  d.current_score = s.current_score;
  d.max_score = s.max_score;
  d.score_percentage = s.max_score > 0 ? s.current_score / s.max_score * 100 : 0;
  // The comparison against all tenants (REC-9, taken): the original looks for
  // basis "TotalScore", which Graph does not send (it sends AllTenants,
  // TotalSeats, IndustryTypes), so its figure is always null. A TotalScore
  // basis, should Graph ever send one, still wins, as there.
  for (const char* basis : {"TotalScore", "AllTenants"}) {
    for (const auto& c : s.average_comparative_scores)
      if (c.basis == basis) {
        d.average_comparative_score = c.average_score;
        break;
      }
    if (d.average_comparative_score) break;
  }
  d.control_scores = s.control_scores;
  return d;
}

ControlProfileDocument control_profile_document(const GraphControlProfile& p, const std::string& tenant_id,
                                                const std::string& synced_at) {
  ControlProfileDocument d;
  d.id = "control-" + p.id;
  d.timestamp = synced_at;
  d.tenant_id = tenant_id;
  d.control_name = p.id;
  d.control_category = p.control_category;
  d.title = p.title;
  d.implementation_cost = p.implementation_cost;
  d.user_impact = p.user_impact;
  d.rank = p.rank;
  d.threats = p.threats;
  d.deprecated = p.deprecated;
  d.remediation_summary = p.remediation;
  d.action_url = p.action_url;
  d.max_score = p.max_score;
  d.tier = p.tier;
  return d;
}

AlertDocument alert_document(const GraphAlert& a, const std::string& tenant_id) {
  AlertDocument d;
  d.id = "alert-" + a.id;
  d.timestamp = a.last_update_date_time && !a.last_update_date_time->empty() ? *a.last_update_date_time : a.created_date_time;
  d.tenant_id = tenant_id;
  d.alert_id = a.id;
  d.alert_title = a.title;
  d.description = a.description;
  d.severity = a.severity;
  d.status = a.status;
  d.category = a.category;
  d.service_source = a.service_source;
  d.mitre_techniques = a.mitre_techniques;
  d.created_at = a.created_date_time;
  d.updated_at = a.last_update_date_time;
  d.resolved_at = a.resolved_date_time;
  d.recommended_actions = a.recommended_actions;
  d.evidence_hostnames = distinct(a.evidence.device_dns_names, std::toupper);
  d.evidence_filenames = distinct(a.evidence.file_names, std::tolower);
  d.evidence_filepaths = distinct(a.evidence.file_paths, std::tolower);
  return d;
}

}  // namespace achilles
