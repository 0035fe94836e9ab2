#pragma once
#include <optional>
#include <string>
#include <vector>

namespace achilles {

// What Microsoft Graph answers, as far as Achilles reads it (defender-spec
// §2.4 "Fields consumed"); the Graph adapter fills these from the JSON.

// One control's score inside a Graph secureScore.
struct GraphControlScore {
  std::string name;      // controlName
  std::string category;  // controlCategory
  double score = 0;      // absent or null: 0
  bool operator==(const GraphControlScore&) const = default;
};

// A secureScore as Microsoft Graph sends it.
struct GraphSecureScore {
  std::string id;
  std::string azure_tenant_id;
  std::string created_date_time;  // as Graph sent it
  double current_score = 0;
  double max_score = 0;
  struct Comparative {
    std::string basis;
    std::optional<double> average_score;
  };
  std::vector<Comparative> average_comparative_scores;
  std::vector<GraphControlScore> control_scores;
};

// A secureScoreControlProfile as Microsoft Graph sends it.
struct GraphControlProfile {
  std::string id;
  std::string control_category;
  std::string title;
  std::string implementation_cost;
  std::string user_impact;
  std::optional<std::int64_t> rank;
  std::vector<std::string> threats;  // null: []
  std::string remediation;
  std::string action_url;
  double max_score = 0;
  std::string tier;
  bool deprecated = false;
};

// Names and paths an alert's evidence points at, as sent, before the
// normalisation of §4.2 (hostnames uppercased, files lowercased).
struct GraphAlertEvidence {
  std::vector<std::string> device_dns_names;
  std::vector<std::string> file_names;  // imageFile, parentProcess.imageFile, fileDetails
  std::vector<std::string> file_paths;
};

// An alert (security/alerts_v2) as Microsoft Graph sends it.
struct GraphAlert {
  std::string id;
  std::string title;
  std::string description;
  std::string severity;
  std::string status;
  std::string category;
  std::string service_source;
  std::string created_date_time;
  std::optional<std::string> last_update_date_time;
  std::optional<std::string> resolved_date_time;
  std::vector<std::string> mitre_techniques;
  std::string recommended_actions;
  GraphAlertEvidence evidence;
};

}  // namespace achilles
