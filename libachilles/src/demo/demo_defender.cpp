#include "achilles/demo/demo_defender.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "achilles/defender/alert_evidence.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/scoring/scoring_unit.hpp"

namespace achilles {
namespace {

// splitmix64: small, fast and the same everywhere.
class DemoRandom {
public:
  explicit DemoRandom(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 0xD1B54A32D192ED03ull) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) / 9007199254740992.0 < p; }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }

private:
  std::uint64_t state_;
};

// Graph writes seven fractional digits.
std::string graph_time(std::int64_t ms, DemoRandom& rng) {
  const std::string iso = format_iso_millis(ms);  // ...SS.mmmZ
  return iso.substr(0, iso.size() - 1) + fmt::format("{:04}", rng.between(0, 9999)) + "Z";
}

struct AlertKind {
  const char* prefix;  // technique prefix it describes
  const char* title;
  const char* category;
};
constexpr std::array<AlertKind, 8> kKinds = {{
    {"T1003", "Suspicious access to LSASS service memory", "CredentialAccess"},
    {"T1059", "Suspicious PowerShell command line", "Execution"},
    {"T1486", "Ransomware behavior detected in the file system", "Impact"},
    {"T1055", "Suspicious process injection observed", "DefenseEvasion"},
    {"T1562", "Attempt to disable security tools", "DefenseEvasion"},
    {"T1053", "Suspicious scheduled task registration", "Persistence"},
    {"T1566", "Malicious attachment opened from email", "InitialAccess"},
    {"T1078", "Sign-in with a compromised account", "InitialAccess"},
}};

const AlertKind& kind_of(const std::string& technique) {
  for (const auto& k : kKinds)
    if (technique.rfind(k.prefix, 0) == 0) return k;
  static const AlertKind kGeneric{"", "Suspicious behavior by a process", "SuspiciousActivity"};
  return kGeneric;
}

std::string device_name(const std::string& host, DemoRandom& rng) {
  // Devices report their FQDN, in whatever case the machine was named.
  std::string name = host + ".contoso.local";
  if (rng.chance(0.5))
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

GraphAlert make_alert(DemoRandom& rng, const std::string& technique, std::int64_t created_ms, const std::string& severity) {
  GraphAlert a;
  a.id = fmt::format("da63{:018}_{}{}", rng.next() % 1'000'000'000'000'000'000ull, rng.chance(0.5) ? "-" : "",
                     rng.next() % 2'000'000'000ull);
  const AlertKind& kind = kind_of(technique);
  a.title = kind.title;
  a.category = kind.category;
  a.description = fmt::format("{} on a device in your organization. Technique {}.", kind.title, technique);
  a.severity = severity;
  a.service_source = "microsoftDefenderForEndpoint";
  a.recommended_actions = "Review the process tree and the files it touched, then isolate the device if the activity is not expected.";
  a.created_date_time = graph_time(created_ms, rng);
  const std::int64_t updated = created_ms + rng.between(2, 40) * 60'000;
  a.last_update_date_time = graph_time(updated, rng);
  const auto roll = rng.between(0, 99);
  a.status = roll < 60 ? "new" : roll < 75 ? "inProgress" : "resolved";
  if (a.status == "resolved") a.resolved_date_time = a.last_update_date_time;
  a.mitre_techniques = {technique};
  return a;
}

std::vector<GraphControlProfile> demo_controls() {
  struct C {
    const char* id;
    const char* category;
    const char* title;
    int rank;
    double max;
    const char* cost;
    const char* impact;
    bool deprecated;
  };
  static const C kControls[] = {
      {"AdminMFAV2", "Identity", "Require multifactor authentication for administrative roles", 1, 10, "Low", "Low", false},
      {"BlockLegacyAuthentication", "Identity", "Enable policy to block legacy authentication", 2, 8, "Moderate", "Moderate", false},
      {"SelfServicePasswordReset", "Identity", "Enable self-service password reset", 9, 1, "Low", "Moderate", false},
      {"scid_2003", "Device", "Block executable content from email client and webmail", 3, 9, "Low", "Low", false},
      {"scid_2004", "Device", "Block Office applications from creating child processes", 4, 9, "Low", "Moderate", false},
      {"scid_2010", "Device", "Block credential stealing from the Windows local security authority subsystem (lsass.exe)", 5, 9,
       "Low", "Low", false},
      {"scid_2012", "Device", "Use advanced protection against ransomware", 6, 9, "Low", "Low", false},
      {"scid_2016", "Device", "Block execution of potentially obfuscated scripts", 7, 9, "Low", "Moderate", false},
      {"scid_2021", "Device", "Turn on controlled folder access", 8, 7, "Moderate", "High", false},
      {"mcasFIPSSecurityPolicy", "Apps", "Create a custom activity policy to get alerts about suspicious usage patterns", 10, 3,
       "Moderate", "Low", false},
      {"scid_5001", "Data", "Turn on Microsoft Purview data loss prevention policies", 11, 5, "Moderate", "Moderate", false},
      {"scid_2000", "Device", "Turn on Microsoft Defender Antivirus PUA protection in block mode", 12, 5, "Low", "Low", true},
  };
  std::vector<GraphControlProfile> out;
  for (const auto& c : kControls) {
    GraphControlProfile p;
    p.id = c.id;
    p.control_category = c.category;
    p.title = c.title;
    p.rank = c.rank;
    p.max_score = c.max;
    p.implementation_cost = c.cost;
    p.user_impact = c.impact;
    p.deprecated = c.deprecated;
    p.tier = c.rank <= 6 ? "Core" : "Defense in Depth";
    p.threats = {"AccountBreach", "ElevationOfPrivilege"};
    p.remediation = std::string("<p>Go to the Microsoft Defender portal and apply: ") + c.title + ".</p>";
    p.action_url = std::string("https://security.microsoft.com/securescore?viewid=actions&actionId=") + c.id;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

DemoDefenderData generate_demo_defender(const DemoOptions& options, std::size_t alerts) {
  DemoDefenderData out;
  DemoRandom rng(options.seed ^ 0xDEFE4DE5ull);
  const std::int64_t today = start_of_day(options.now_ms);

  for (int day = 0; day <= options.days; ++day) {
    GraphSecureScore s;
    const std::int64_t at = today - static_cast<std::int64_t>(day) * kMillisPerDay;
    s.id = fmt::format("{}_{}", kDemoTenantId, format_iso_millis(at).substr(0, 10));
    s.azure_tenant_id = kDemoTenantId;
    s.created_date_time = format_iso_millis(at).substr(0, 19) + "Z";
    s.max_score = 784;
    s.current_score = std::round((430.0 - day * 1.7 + static_cast<double>(rng.between(-300, 300)) / 100.0) * 100) / 100;
    s.average_comparative_scores = {{"AllTenants", 52.74 - day * 0.01}, {"TotalSeats", 48.1}};
    s.control_scores = {{"AdminMFAV2", "Identity", day > 20 ? 5.0 : 10.0}, {"scid_2010", "Device", 9}};
    out.secure_scores.push_back(secure_score_document(s));
  }
  const std::string synced_at = format_iso_millis(options.now_ms);
  for (const auto& p : demo_controls()) out.control_profiles.push_back(control_profile_document(p, kDemoTenantId, synced_at));

  std::size_t seen = 0;
  std::vector<std::string> techniques, hosts;  // what the fleet runs, for background alerts
  generate_demo_results(options, [&](const ResultDocument& d) {
    ++seen;
    if (alerts > 0 && seen % 97 == 0 && !d.techniques.values().empty() && !d.hostname.values().empty()) {
      techniques.push_back(d.techniques.values().front());
      hosts.push_back(d.hostname.first());
    }
    if (!d.event_time_ms || d.techniques.values().empty() || d.hostname.values().empty()) return;
    if (d.category.values().size() == 1 && d.category.first() == kCyberHygieneCategory) return;
    const std::int64_t code = d.error_code.value_or(-1);
    const std::string technique = d.techniques.values().front();
    const std::string host = d.hostname.first();
    const std::string uuid = bundle_uuid_of(d.test_uuid.values().empty() ? std::string() : d.test_uuid.first());
    std::optional<GraphAlert> alert;
    if ((code == 126 || code == 127 || code == 105) && rng.chance(0.35)) {
      // Defender stopped it and said so within minutes, about this technique
      // or its parent.
      const std::string named = rng.chance(0.2) && technique.find('.') != std::string::npos
                                    ? technique.substr(0, technique.find('.'))
                                    : technique;
      alert = make_alert(rng, named, *d.event_time_ms + rng.between(-120, 25 * 60) * 1000, code == 105 ? "medium" : "high");
    } else if (code == 101 && rng.chance(0.06)) {
      // Seen, but hours after the attack ran.
      alert = make_alert(rng, technique, *d.event_time_ms + rng.between(2 * 60, 8 * 60) * 60'000, "low");
    }
    // Nothing from the future: an alert due after `now` has not been raised yet.
    if (alert && alert_time_ms(alert->created_date_time).value_or(INT64_MAX) > options.now_ms) alert.reset();
    if (alert) {
      alert->evidence.device_dns_names = {device_name(host, rng)};
      const std::string binary = d.is_bundle_control && !d.control_id.values().empty()
                                     ? uuid + "-" + d.control_id.first() + ".exe"
                                     : uuid + ".exe";
      alert->evidence.file_names = {binary, "cmd.exe"};
      alert->evidence.file_paths = {"C:\\ProgramData\\Achilles\\tests\\" + uuid, "C:\\Windows\\System32"};
      out.alerts.push_back(alert_document(*alert, kDemoTenantId));
    }
    if (seen % 50 == 0 && *d.event_time_ms - 3'600'000 <= options.now_ms) {
      // Background noise: phishing and sign-in alerts no test simulates.
      auto noise = make_alert(rng, rng.chance(0.5) ? "T1566.001" : "T1078.004", *d.event_time_ms - rng.between(1, 12) * 3'600'000,
                              rng.chance(0.3) ? "high" : "informational");
      noise.evidence.device_dns_names = {device_name(host, rng)};
      noise.evidence.file_names = {"invoice_2291.docm"};
      noise.evidence.file_paths = {"C:\\Users\\a.morgan\\Downloads"};
      out.alerts.push_back(alert_document(noise, kDemoTenantId));
    }
  });
  const std::int64_t window = static_cast<std::int64_t>(options.days) * kMillisPerDay;
  while (out.alerts.size() < alerts && !techniques.empty()) {
    const auto pick = static_cast<std::size_t>(rng.next() % techniques.size());
    auto background = make_alert(rng, techniques[pick], options.now_ms - rng.between(1, window), rng.chance(0.2) ? "medium" : "low");
    background.evidence.device_dns_names = {device_name(hosts[pick], rng)};
    background.evidence.file_names = {"svchost.exe"};
    background.evidence.file_paths = {"C:\\Windows\\System32"};
    out.alerts.push_back(alert_document(background, kDemoTenantId));
  }
  return out;
}

}  // namespace achilles
