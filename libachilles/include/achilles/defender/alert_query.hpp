#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "achilles/defender/alert_evidence.hpp"
#include "achilles/domain/defender_documents.hpp"

namespace achilles {

// Which stored alerts a Defender analytics question is about (defender-spec
// §9.2, §11): every present clause must hold. Stores translate it (a scan in
// memory, an Elasticsearch bool query); use cases never see store syntax.
struct AlertQuery {
  std::optional<std::string> severity;  // exact
  std::optional<std::string> status;    // exact
  // Full-text words over the title, the description and the category: an
  // alert matches when it holds any of the words (case-insensitive).
  std::optional<std::string> search;
  // Any of these techniques; with `sub_techniques`, T1059 also matches
  // T1059.001 (never T10590). Empty: no technique clause.
  std::vector<std::string> techniques;
  bool sub_techniques = true;
  std::optional<std::int64_t> created_from_ms;  // created_at >= this
  std::optional<SeenWindow> seen;
  std::optional<std::string> host_prefix;  // uppercased: an evidence host starts with it
  std::optional<FileEvidence> files;
  // Achilles' own marks: correlated with a test by enrichment; the
  // auto-resolve mode recorded on it, one of these ("" = none recorded).
  std::optional<bool> correlated;
  std::optional<std::vector<std::string>> auto_resolve_modes;
};
bool matches(const AlertQuery& query, const AlertDocument& alert);

// The alert list's sort fields (REC-14), by their stored names.
enum class AlertSortField { CreatedAt, UpdatedAt, Severity, Status, Title, ServiceSource, Category };
std::optional<AlertSortField> alert_sort_field_from(std::string_view text);  // "created_at", "alert_title.keyword", ...
std::string_view stored_name(AlertSortField field);

// Which page of the alerts an AlertQuery matches, in which order.
struct AlertPageQuestion {
  AlertSortField sort = AlertSortField::CreatedAt;
  bool descending = true;
  std::size_t offset = 0;
  std::size_t limit = 25;
};
// One page of alerts, with how many match in all.
struct AlertPage {
  std::int64_t total = 0;
  std::vector<AlertDocument> alerts;
};

// Counts over the matching alerts: by severity, status and technique (the
// top `top` of each, count descending then key ascending, as a terms
// aggregation), and — for a query bounded by `created_from_ms` — per UTC day
// of creation with the three severities the trend shows (from the first to
// the last day holding an alert, empty days between included). Unbounded, a
// stray creation date centuries away would ask for a million days.
struct AlertDay {
  std::int64_t start_ms = 0;
  std::int64_t count = 0, high = 0, medium = 0, low = 0;
  bool operator==(const AlertDay&) const = default;
};
// How many alerts share one value (a severity, a status, a technique).
struct AlertCount {
  std::string key;
  std::int64_t count = 0;
  bool operator==(const AlertCount&) const = default;
};
// The alerts an AlertQuery matches, counted in all and by their top values.
struct AlertTally {
  std::int64_t total = 0;
  std::vector<AlertCount> by_severity;  // top 10
  std::vector<AlertCount> by_status;    // top 10
  std::vector<AlertCount> by_technique; // top 100
  std::vector<AlertDay> by_day;
};
inline constexpr std::size_t kAlertTallyTop = 10;
inline constexpr std::size_t kAlertTechniqueTop = 100;

// When alerts carrying each technique were created, with the hosts each saw:
// what the detection rate joins executions against.
struct AlertSighting {
  std::string technique;
  std::int64_t created_ms = 0;
  std::vector<std::string> hosts;  // uppercased evidence hosts, when asked for
  bool operator==(const AlertSighting&) const = default;
};

// The same answers over alerts held in memory, for stores that keep them so
// and as the reference the other stores are tested against.
AlertPage alert_page_of(const std::vector<AlertDocument>& alerts, const AlertQuery& query, const AlertPageQuestion& page);
AlertTally alert_tally_of(const std::vector<AlertDocument>& alerts, const AlertQuery& query);
std::vector<AlertSighting> alert_sightings_of(const std::vector<AlertDocument>& alerts, std::int64_t created_from_ms,
                                              bool with_hosts);

}  // namespace achilles
