#include "codec/defender_json.hpp"

#include <boost/json.hpp>

namespace achilles::server {
namespace json = boost::json;
namespace {

json::value optional_text(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return json::string(*v);
}

json::object step_json(const DefenderStepResult& r) {
  json::array errors;
  for (const auto& e : r.errors) errors.emplace_back(e);
  return {{"synced", r.synced}, {"errors", std::move(errors)}};
}

}  // namespace

json::object defender_view_json(const DefenderIntegrationView& v) {
  if (!v.configured) {
    json::object o{{"configured", false}};  // exactly this, as the original (§13 case 29)
    if (v.problem) o["settingsFileError"] = *v.problem;
    return o;
  }
  json::object o{{"configured", true},
                 {"tenant_id", v.tenant_id},
                 {"client_id", v.client_id},
                 {"auth_method", v.auth_method},
                 {"client_secret_set", v.client_secret_set},
                 {"cert_thumbprint_set", v.cert_thumbprint_set},
                 {"label", v.label},
                 {"env_configured", v.env_configured}};
  if (v.problem) o["settingsFileError"] = *v.problem;
  return o;
}

json::object enrichment_json(const EnrichmentResult& e) {
  json::array errors;
  for (const auto& m : e.errors) errors.emplace_back(m);
  return {{"scanned", e.scanned},
          {"detected", e.detected},
          {"stageDetected", e.stage_detected},
          {"skipped", e.skipped},
          {"batches", e.batches},
          {"alertsMarkedCorrelated", e.alerts_marked_correlated},
          {"errors", std::move(errors)},
          {"durationMs", e.duration_ms}};
}

json::object auto_resolve_pass_json(const AutoResolvePassResult& p) {
  json::array errors;
  for (const auto& m : p.errors) errors.emplace_back(m);
  return {{"mode", p.mode},         {"candidates", p.candidates}, {"patched", p.patched},
          {"wouldPatch", p.would_patch}, {"skipped", p.skipped},     {"errors", std::move(errors)},
          {"durationMs", p.duration_ms}};
}

json::object defender_sync_result_json(const DefenderSyncResult& r) {
  json::object o{{"scores", step_json(r.scores)}, {"controls", step_json(r.controls)}, {"alerts", step_json(r.alerts)}};
  if (r.enrichment) o["enrichment"] = enrichment_json(*r.enrichment);
  if (r.auto_resolve) o["autoResolve"] = auto_resolve_pass_json(*r.auto_resolve);
  o["timestamp"] = r.timestamp;
  return o;
}

json::object defender_sync_status_json(const DefenderSyncStatus& s) {
  json::object o{{"lastScoreSync", optional_text(s.last_score_sync)},
                 {"lastControlSync", optional_text(s.last_control_sync)},
                 {"lastAlertSync", optional_text(s.last_alert_sync)},
                 {"lastSyncResult", s.last_sync_result ? json::value(defender_sync_result_json(*s.last_sync_result))
                                                       : json::value(nullptr)}};
  if (s.last_pass) {
    o["lastPass"] = json::object{{"kind", s.last_pass->kind},
                                 {"finishedAt", s.last_pass->finished_at},
                                 {"scheduled", s.last_pass->scheduled},
                                 {"result", step_json(s.last_pass->result)}};
  } else {
    o["lastPass"] = nullptr;
  }
  o["lastError"] = optional_text(s.last_error);
  o["lastEnrichment"] = s.last_enrichment ? json::value(enrichment_json(*s.last_enrichment)) : json::value(nullptr);
  o["running"] = s.running;
  return o;
}

}  // namespace achilles::server
