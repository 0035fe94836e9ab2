#include "achilles/defender/test_alerts.hpp"

#include <algorithm>

#include "achilles/text/ascii_case.hpp"

namespace achilles {
namespace {

bool control_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// "<uuid>.exe" → "<uuid>" (lowercased), what the drawer sends as binaryName.
std::string bundle_uuid_of_binary(std::string_view binary_name) {
  std::string uuid = ascii_lower(binary_name);
  if (uuid.size() >= 4 && uuid.compare(uuid.size() - 4, 4, ".exe") == 0) uuid.resize(uuid.size() - 4);
  return uuid;
}

}  // namespace

StageAttribution stage_attribution(const AlertDocument& alert, std::string_view bundle_uuid) {
  if (bundle_uuid.empty()) return {};
  const std::string prefix = ascii_lower(bundle_uuid) + "-";
  for (const auto& file : alert.evidence_filenames) {
    const std::string name = ascii_lower(file);
    if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - 4, 4, ".exe") != 0)
      continue;
    const std::string control = name.substr(prefix.size(), name.size() - prefix.size() - 4);
    if (std::all_of(control.begin(), control.end(), control_byte)) return {true, control};
  }
  return {};
}

std::vector<TierQuestion> test_alert_tiers(const TestAlertsRequest& r) {
  std::vector<TierQuestion> tiers;
  if (!r.binary_name.empty() && !r.hostname.empty()) {
    // The evidence tier asks about the bundle's files with the fixed evidence
    // window, whatever techniques or window the drawer sent.
    if (const auto evidence = bundle_evidence_question(
            {bundle_uuid_of_binary(r.binary_name), r.timestamp, r.hostname, r.bundle_name, {}})) {
      AlertQuery q;
      q.seen = evidence->window;
      q.host_prefix = evidence->host_prefix;
      q.files = evidence->files;
      tiers.push_back({TestAlertTier::Evidence, std::move(q)});
    }
  }
  AlertQuery by_technique;
  by_technique.techniques = r.techniques;
  by_technique.sub_techniques = false;
  by_technique.seen = SeenWindow{r.time_ms - kEvidenceBeforeMs, r.time_ms + r.window_minutes * 60'000};
  if (!r.hostname.empty()) {
    AlertQuery q = by_technique;
    q.host_prefix = ascii_upper(r.hostname);
    tiers.push_back({TestAlertTier::TechniqueAndHost, std::move(q)});
  }
  tiers.push_back({TestAlertTier::TechniqueOnly, std::move(by_technique)});
  return tiers;
}

TestAlerts test_alerts_of(const TestAlertsRequest& r, std::vector<AlertDocument> alerts, std::int64_t total) {
  TestAlerts out;
  out.total = total;
  const std::string uuid = bundle_uuid_of_binary(r.binary_name);
  for (auto& a : alerts) {
    for (const auto& t : a.mitre_techniques)
      if (std::find(r.techniques.begin(), r.techniques.end(), t) != r.techniques.end() &&
          std::find(out.matched_techniques.begin(), out.matched_techniques.end(), t) == out.matched_techniques.end())
        out.matched_techniques.push_back(t);
    StageAttribution attribution = stage_attribution(a, uuid);
    out.alerts.push_back({std::move(a), std::move(attribution)});
  }
  auto distance = [&](const AttributedAlert& a) {
    const auto t = alert_time_ms(a.alert.created_at);
    return t ? (*t > r.time_ms ? *t - r.time_ms : r.time_ms - *t) : INT64_MAX;
  };
  std::stable_sort(out.alerts.begin(), out.alerts.end(),
                   [&](const AttributedAlert& a, const AttributedAlert& b) { return distance(a) < distance(b); });
  return out;
}

}  // namespace achilles
