#pragma once
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/defender_graph_items.hpp"

namespace achilles {

// The local copy of Defender data (defender-spec §4.1–4.2): the documents of
// the original's `achilles-defender` index, with its ids, whatever store
// keeps them. Times are text as Graph or the sync wrote them.

// A day's Microsoft Secure Score as the original stores it (one document a day).
struct SecureScoreDocument {
  std::string id;  // score-<YYYY-MM-DD>: one a day, replaced by a re-sync
  std::string timestamp;
  std::string tenant_id;
  double current_score = 0;
  double max_score = 0;
  double score_percentage = 0;
  std::optional<double> average_comparative_score;
  std::vector<GraphControlScore> control_scores;
  bool operator==(const SecureScoreDocument&) const = default;
};

// A Secure Score control profile as the original stores it.
struct ControlProfileDocument {
  std::string id;  // control-<profile id>
  std::string timestamp;
  std::string tenant_id;
  std::string control_name;
  std::string control_category;
  std::string title;
  std::string implementation_cost;
  std::string user_impact;
  std::optional<std::int64_t> rank;
  std::vector<std::string> threats;
  bool deprecated = false;
  std::string remediation_summary;
  std::string action_url;
  double max_score = 0;
  std::string tier;
  bool operator==(const ControlProfileDocument&) const = default;
};

// What Achilles itself wrote on an alert (`f0rtika.*`): its correlation with
// a test, and the auto-resolve receipt. A sync never writes these, so a
// re-synced alert keeps them.
struct AlertAnnotations {
  std::optional<bool> achilles_correlated;
  std::optional<std::string> achilles_test_uuid;
  std::optional<std::string> achilles_matched_at;
  std::optional<bool> auto_resolved;
  std::optional<std::string> auto_resolved_at;
  std::optional<std::string> auto_resolve_mode;
  std::optional<std::string> auto_resolve_error;
  bool empty() const { return !achilles_correlated && !achilles_test_uuid && !achilles_matched_at && !auto_resolved &&
                              !auto_resolved_at && !auto_resolve_mode && !auto_resolve_error; }
  bool operator==(const AlertAnnotations&) const = default;
};

// A Microsoft Defender alert as the original stores it (alerts_v2, flattened).
struct AlertDocument {
  std::string id;  // alert-<graph alert id>
  std::string timestamp;
  std::string tenant_id;
  std::string alert_id;
  std::string alert_title;
  std::string description;
  std::string severity;
  std::string status;
  std::string category;
  std::string service_source;
  std::vector<std::string> mitre_techniques;
  std::string created_at;
  std::optional<std::string> updated_at;
  std::optional<std::string> resolved_at;
  std::string recommended_actions;
  std::vector<std::string> evidence_hostnames;  // uppercased, first-seen order, no repeats
  std::vector<std::string> evidence_filenames;  // lowercased
  std::vector<std::string> evidence_filepaths;  // lowercased
  AlertAnnotations f0rtika;
  bool operator==(const AlertDocument&) const = default;
};

// The transforms of §4.2.
SecureScoreDocument secure_score_document(const GraphSecureScore& score);
ControlProfileDocument control_profile_document(const GraphControlProfile& profile, const std::string& tenant_id,
                                                const std::string& synced_at);
AlertDocument alert_document(const GraphAlert& alert, const std::string& tenant_id);

}  // namespace achilles
