#include "achilles/demo/demo_results.hpp"

#include <array>
#include <optional>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

// splitmix64: small, fast, and identical on every platform (unlike the
// standard distributions), so a seed means the same data everywhere.
class Random {
public:
  explicit Random(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() >> 11) / 9007199254740992.0 < p; }

private:
  std::uint64_t state_;
};

struct DemoTest {
  const char* name;
  const char* category;
  const char* subcategory;
  const char* severity;
  std::vector<std::string> techniques;
  std::vector<std::string> tactics;
  const char* threat_actor;
  std::vector<std::string> tags;
  const char* complexity;
  double score;
};

const std::vector<DemoTest>& standalone_tests() {
  static const std::vector<DemoTest> tests{
      {"LSASS Memory Dump via Comsvcs", "mitre-top10", "credential-theft", "critical", {"T1003.001"}, {"credential-access"}, "APT29", {"credentials", "lsass"}, "medium", 9.1},
      {"Mimikatz sekurlsa Logonpasswords", "mitre-top10", "credential-theft", "critical", {"T1003.001", "T1558.003"}, {"credential-access"}, "APT28", {"credentials"}, "high", 9.4},
      {"PowerShell Encoded Command Execution", "mitre-top10", "execution", "high", {"T1059.001", "T1027"}, {"execution", "defense-evasion"}, "FIN7", {"powershell"}, "low", 7.2},
      {"Scheduled Task Persistence", "phase-aligned", "persistence", "medium", {"T1053.005"}, {"persistence"}, "APT41", {"persistence"}, "low", 6.0},
      {"Registry Run Key Persistence", "phase-aligned", "persistence", "medium", {"T1547.001"}, {"persistence"}, "Lazarus Group", {"registry"}, "low", 5.8},
      {"Ransomware File Encryption Simulation", "intel-driven", "ransomware", "critical", {"T1486", "T1490"}, {"impact"}, "Conti", {"ransomware", "impact"}, "high", 9.8},
      {"Shadow Copy Deletion", "intel-driven", "ransomware", "high", {"T1490"}, {"impact"}, "LockBit", {"ransomware"}, "medium", 8.7},
      {"DLL Side-Loading via Signed Binary", "intel-driven", "defense-evasion", "high", {"T1574.002"}, {"defense-evasion", "persistence"}, "APT41", {"sideloading"}, "high", 8.1},
      {"Process Hollowing Injection", "mitre-top10", "defense-evasion", "high", {"T1055.012"}, {"defense-evasion", "privilege-escalation"}, "FIN7", {"injection"}, "high", 8.4},
      {"UAC Bypass via Fodhelper", "phase-aligned", "privilege-escalation", "medium", {"T1548.002"}, {"privilege-escalation"}, "APT29", {"uac"}, "medium", 6.9},
      {"Kerberoasting Service Tickets", "mitre-top10", "credential-theft", "high", {"T1558.003"}, {"credential-access"}, "APT28", {"kerberos", "credentials"}, "medium", 8.0},
      {"Browser Credential Harvesting", "intel-driven", "credential-theft", "high", {"T1555.003"}, {"credential-access"}, "Lazarus Group", {"credentials", "browser"}, "low", 7.5},
      {"Exfiltration over HTTPS", "phase-aligned", "exfiltration", "medium", {"T1041", "T1071.001"}, {"exfiltration", "command-and-control"}, "APT29", {"exfil"}, "medium", 6.4},
      {"DNS Tunneling C2 Beacon", "intel-driven", "command-and-control", "medium", {"T1071.004"}, {"command-and-control"}, "OilRig", {"c2", "dns"}, "medium", 6.6},
      {"WMI Remote Execution", "mitre-top10", "lateral-movement", "high", {"T1047"}, {"execution", "lateral-movement"}, "APT41", {"wmi"}, "medium", 7.7},
      {"PsExec Lateral Movement", "mitre-top10", "lateral-movement", "high", {"T1021.002", "T1570"}, {"lateral-movement"}, "Conti", {"smb"}, "low", 7.9},
      {"AMSI Bypass In-Memory Patch", "intel-driven", "defense-evasion", "critical", {"T1562.001"}, {"defense-evasion"}, "FIN7", {"amsi"}, "high", 9.0},
      {"Windows Defender Exclusion Tampering", "intel-driven", "defense-evasion", "high", {"T1562.001"}, {"defense-evasion"}, "LockBit", {"tamper"}, "low", 8.3},
      {"Discovery via AdFind", "phase-aligned", "discovery", "low", {"T1087.002", "T1482"}, {"discovery"}, "Conti", {"discovery", "ad"}, "low", 3.9},
      {"Clipboard Data Collection", "phase-aligned", "collection", "info", {"T1115"}, {"collection"}, "APT28", {"collection"}, "low", 2.1},
  };
  return tests;
}

// The task metadata a bundle's controls take their threat actor, target,
// complexity, tags and score from (platform-spec §4.4), with the writer's
// forms: absent keys omitted, null kept as null, target an array.
struct TaskMetadata {
  Keywords threat_actor;
  Keywords target;
  Keywords complexity;
  Keywords tags;
  std::optional<double> score;  // nullopt: `"score": null`
};

struct DemoBundle {
  const char* uuid;
  const char* name;
  const char* category;
  TaskMetadata metadata;
  bool multi_stage;
  std::vector<DemoTest> controls;  // control id in `techniques[0]` for stages, generated for CH
  const char* tenant_label = nullptr;  // identity-tenant bundles: the Azure integration's label
  const char* control_prefix = "";     // CH control ids: CH-<prefix>-NNN
};

std::vector<DemoBundle> make_bundles() {
  std::vector<DemoBundle> bundles;
  const std::vector<std::string> windows_target{"windows-endpoint"}, linux_target{"linux-endpoint"};
  DemoBundle windows{"c1a0d3e2-7b4f-4e8a-9d61-2f5b8c0e1a01", "CIS Windows Endpoint Baseline", "cyber-hygiene",
                     {{}, windows_target, "low", std::vector<std::string>{"cis", "windows"}, std::nullopt}, false, {}};
  windows.control_prefix = "WIN";
  const char* windows_controls[] = {
      "Defender Real-Time Protection Enabled", "Tamper Protection Enabled", "Cloud-Delivered Protection",
      "Attack Surface Reduction Rules", "Controlled Folder Access", "SmartScreen Enabled",
      "Credential Guard Enabled", "LSA Protection (RunAsPPL)", "BitLocker System Drive", "Firewall Domain Profile",
      "Firewall Public Profile", "SMBv1 Disabled", "LLMNR Disabled", "NetBIOS over TCP Disabled",
      "PowerShell Script Block Logging", "PowerShell Constrained Language", "Audit Process Creation",
      "Local Admin Password Solution", "AutoRun Disabled", "Secure Boot Enabled"};
  for (const char* c : windows_controls)
    windows.controls.push_back({c, "cyber-hygiene", "endpoint-hardening", "medium", {"T1562.001"}, {"defense-evasion"}, "", {"cis", "windows"}, "low", 5.0});
  bundles.push_back(windows);

  DemoBundle linux_{"c1a0d3e2-7b4f-4e8a-9d61-2f5b8c0e1a02", "CIS Linux Server Baseline", "cyber-hygiene",
                    {{}, linux_target, "low", std::vector<std::string>{"cis", "linux"}, std::nullopt}, false, {}};
  linux_.control_prefix = "LNX";
  const char* linux_controls[] = {
      "auditd Enabled", "SSH Root Login Disabled", "SSH Password Authentication Disabled", "AppArmor Enforcing",
      "Unattended Upgrades Enabled", "Firewall Default Deny", "Core Dumps Restricted", "ASLR Enabled",
      "/tmp Mounted noexec", "Password Hashing SHA512", "cron Restricted", "Unused Filesystems Disabled",
      "Time Synchronisation", "sudo Logging Enabled"};
  for (const char* c : linux_controls)
    linux_.controls.push_back({c, "cyber-hygiene", "server-hardening", "medium", {"T1562.001"}, {"defense-evasion"}, "", {"cis", "linux"}, "low", 5.0});
  bundles.push_back(linux_);

  DemoBundle identity{"c1a0d3e2-7b4f-4e8a-9d61-2f5b8c0e1a03", "Entra ID Tenant Baseline", "cyber-hygiene",
                      {Keywords::null(), std::vector<std::string>{}, "medium", std::vector<std::string>{"cis", "entra"}, std::nullopt},
                      false, {}};
  identity.control_prefix = "IDT";
  identity.tenant_label = "Azure Tenant";
  const char* identity_controls[] = {"MFA Required for Admins", "Legacy Authentication Blocked", "Security Defaults or CA",
                                     "Guest Invitations Restricted", "Privileged Role Assignments Reviewed"};
  for (const char* c : identity_controls)
    identity.controls.push_back({c, "cyber-hygiene", "identity-tenant", "high", {"T1078.004"}, {"initial-access"}, "", {}, "", 0});
  bundles.push_back(identity);

  bundles.push_back({"b7e1f0a4-3c2d-4f5e-8a9b-0c1d2e3f4a01", "Akira Ransomware Kill Chain", "intel-driven",
                     {"Akira", windows_target, "high", std::vector<std::string>{"akira", "ransomware"}, 9.2}, true,
                     {{"Initial Access via Valid Accounts", "intel-driven", "kill-chain", "high", {"T1078"}, {"initial-access"}, "Akira", {"akira"}, "medium", 7.0},
                      {"Credential Dumping", "intel-driven", "kill-chain", "critical", {"T1003.001"}, {"credential-access"}, "Akira", {"akira"}, "high", 9.0},
                      {"Remote Service Lateral Movement", "intel-driven", "kill-chain", "high", {"T1021.001"}, {"lateral-movement"}, "Akira", {"akira"}, "medium", 7.5},
                      {"Inhibit System Recovery", "intel-driven", "kill-chain", "high", {"T1490"}, {"impact"}, "Akira", {"akira"}, "medium", 8.5},
                      {"Data Encrypted for Impact", "intel-driven", "kill-chain", "critical", {"T1486"}, {"impact"}, "Akira", {"akira"}, "high", 9.5}}});
  bundles.push_back({"b7e1f0a4-3c2d-4f5e-8a9b-0c1d2e3f4a02", "Scattered Spider Intrusion", "intel-driven",
                     {"Scattered Spider", std::vector<std::string>{}, "medium", std::vector<std::string>{"spider"}, 8.4}, true,
                     {{"Phishing Payload Execution", "intel-driven", "apt-sim", "high", {"T1204.002"}, {"execution"}, "Scattered Spider", {"spider"}, "low", 7.0},
                      {"Remote Access Tool Install", "intel-driven", "apt-sim", "high", {"T1219"}, {"command-and-control"}, "Scattered Spider", {"spider"}, "medium", 7.8},
                      {"Cloud Credential Theft", "intel-driven", "apt-sim", "critical", {"T1552.001"}, {"credential-access"}, "Scattered Spider", {"spider"}, "high", 8.9},
                      {"Exfiltration to Cloud Storage", "intel-driven", "apt-sim", "high", {"T1567.002"}, {"exfiltration"}, "Scattered Spider", {"spider"}, "medium", 8.2}}});
  return bundles;
}

constexpr std::array<const char*, 4> kOrgs{
    "09b59276-9efb-4d3d-bbdd-4b4663ef0c42", "b2f8dccb-6d23-492e-aa87-a0a8a6103189",
    "9634119d-fa6b-42b8-9b9b-90ad8f22e482", "5d0c2f7e-1a9b-4c3d-8e7f-6a5b4c3d2e1f"};

struct Host {
  std::string name;
  const char* org;
  unsigned style;  // how its agent writes completed_at (agent_time)
};

std::vector<Host> make_hosts() {
  const char* prefixes[] = {"WS-FIN", "WS-HR", "SRV-DC", "WS-ENG", "SRV-APP"};
  std::vector<Host> hosts;
  for (int i = 0; i < 25; ++i)
    hosts.push_back({fmt::format("{}-{:02}", prefixes[i % 5], i / 5 + 1), kOrgs[i % kOrgs.size()], static_cast<unsigned>(i % 6)});
  return hosts;
}

// Weighted exit codes; every code of §1.7 appears, plus unmapped ones.
std::int64_t pick_code(Random& rng) {
  static constexpr std::array<std::pair<std::int64_t, int>, 12> kWeights{{
      {101, 300}, {126, 250}, {105, 100}, {127, 150}, {0, 50}, {1, 30},
      {200, 40}, {259, 30}, {999, 30}, {42, 8}, {3, 6}, {1603, 6}}};
  int total = 0;
  for (auto [code, w] : kWeights) total += w;
  int roll = static_cast<int>(rng.below(static_cast<std::size_t>(total)));
  for (auto [code, w] : kWeights) {
    if (roll < w) return code;
    roll -= w;
  }
  return 101;
}

std::string uuid_for(std::uint64_t a, std::uint64_t b) {
  return fmt::format("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     (b >> 48) & 0xfff, b & 0xffffffffffffULL);
}

// What the writer takes from the test or control itself.
void fill_from_test(ResultDocument& d, const DemoTest& t, std::int64_t code) {
  d.test_name = t.name;
  d.category = t.category;
  d.subcategory = t.subcategory;
  d.severity = t.severity;
  d.techniques = t.techniques;
  d.tactics = t.tactics;
  d.error_code = code;
  d.is_protected = is_protected_code(code);
  d.error_name = resolve_error_name(code, "");
}

void fill_metadata(ResultDocument& d, const TaskMetadata& m) {
  d.threat_actor = m.threat_actor;
  d.target = m.target;
  d.complexity = m.complexity;
  d.tags = m.tags;
  d.score = m.score;
  d.score_is_null = !m.score;
}

// A standalone test's task metadata. The writer copies it as the catalog
// holds it: most tests target ["windows-endpoint"], some name no target
// ([]), and a few have null actor or score.
TaskMetadata metadata_of(const DemoTest& t, std::size_t index) {
  TaskMetadata m{t.threat_actor, std::vector<std::string>{"windows-endpoint"}, t.complexity, t.tags, t.score};
  if (index % 6 == 5) m.target = std::vector<std::string>{};
  if (index % 7 == 3) m.threat_actor = Keywords::null();
  if (index % 9 == 4) m.score.reset();
  return m;
}

// completed_at as agents report it: the Go agent in whole seconds, others
// with micro- or nanoseconds, some in local time with an offset. The
// instant is `ms` plus `sub_ms_ns`; Elasticsearch (and we) read it to the
// millisecond, truncating.
std::string agent_time(std::int64_t ms, std::uint32_t sub_ms_ns, int style) {
  static constexpr int kOffsetsMinutes[] = {120, -300, 330};
  const int offset = style >= 3 ? kOffsetsMinutes[style - 3] : 0;
  const std::int64_t local = ms + offset * 60'000LL;
  const std::int64_t days = floor_div(local, kMillisPerDay);
  const std::int64_t rest = local - days * kMillisPerDay;
  const CivilDate c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, rest / 3'600'000,
                                rest % 3'600'000 / 60'000, rest % 60'000 / 1000);
  const std::int64_t millis = rest % 1000;
  switch (style) {
    case 0: break;  // whole seconds
    case 1: out += fmt::format(".{:03}{:03}", millis, sub_ms_ns / 1000); break;
    default: out += fmt::format(".{:03}{:06}", millis, sub_ms_ns); break;
  }
  if (offset == 0) return out + "Z";
  const int a = offset < 0 ? -offset : offset;
  return out + fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', a / 60, a % 60);
}

}  // namespace

void generate_demo_results(const DemoOptions& o, const std::function<void(const ResultDocument&)>& emit) {
  Random rng(o.seed);
  const auto& tests = standalone_tests();
  const auto bundles = make_bundles();
  const auto hosts = make_hosts();
  const std::int64_t span_ms = static_cast<std::int64_t>(o.days > 0 ? o.days : 1) * 86'400'000LL;
  std::size_t emitted = 0;
  std::uint64_t task = 0;

  while (emitted < o.executions) {
    ++task;
    const Host& host = hosts[rng.below(hosts.size())];
    std::int64_t when = o.now_ms - 1 - static_cast<std::int64_t>(rng.next() % static_cast<std::uint64_t>(span_ms));
    const int time_style = static_cast<int>(host.style);
    if (time_style == 0) when -= floor_div(when, 1000) * 1000 == when ? 0 : when - floor_div(when, 1000) * 1000;  // whole seconds
    const auto sub_ms_ns = static_cast<std::uint32_t>(rng.below(1'000'000));
    const std::string when_text = agent_time(when, sub_ms_ns, time_style);
    const std::string task_id = uuid_for(o.seed ^ (task * 0x9E3779B97F4A7C15ULL), task);
    const std::size_t remaining = o.executions - emitted;
    const DemoBundle* bundle = rng.chance(0.3) ? &bundles[rng.below(bundles.size())] : nullptr;
    if (bundle && bundle->controls.size() > remaining) bundle = nullptr;

    if (!bundle) {
      const DemoTest& t = tests[rng.below(tests.size())];
      const std::size_t index = static_cast<std::size_t>(&t - tests.data());
      ResultDocument d;
      d.id = task_id;
      d.event_time_ms = when;
      d.event_time_text = when_text;
      d.org_id = host.org;
      d.hostname = host.name;
      d.test_uuid = uuid_for(std::hash<std::string>{}(t.name) & 0x7fffffffffffffffULL, 0x51A7D0 + index);
      fill_from_test(d, t, pick_code(rng));
      fill_metadata(d, metadata_of(t, index));
      // Defender sees some attacks the EDR let through, and most it blocked.
      d.defender_detected = (d.error_code == 101 && rng.chance(0.35)) || (d.protected_result() && rng.chance(0.6));
      emit(d);
      ++emitted;
      continue;
    }

    const std::string run_bundle_id = bundle->uuid;
    for (std::size_t i = 0; i < bundle->controls.size(); ++i) {
      const DemoTest& c = bundle->controls[i];
      const std::string control_id = bundle->multi_stage ? c.techniques.front()
                                                         : fmt::format("CH-{}-{:03}", bundle->control_prefix, i + 1);
      std::int64_t code = pick_code(rng);
      if (bundle->multi_stage && i == 0 && rng.chance(0.7)) code = 0;  // orchestrator skipped the stage
      if (!bundle->multi_stage && (code == 105 || code == 127)) code = 126;  // a control passes or fails
      ResultDocument d;
      d.id = task_id + "::" + control_id;  // the writer's fan-out id
      d.event_time_ms = when;
      d.event_time_text = when_text;  // every control of a run shares it exactly
      d.org_id = host.org;
      d.hostname = host.name;
      d.test_uuid = run_bundle_id + "::" + control_id;
      fill_from_test(d, c, code);
      fill_metadata(d, bundle->metadata);
      if (bundle->tenant_label) d.tenant_label = bundle->tenant_label;
      d.is_bundle_control = true;
      d.bundle_id = run_bundle_id;
      d.bundle_name = bundle->name;
      d.control_id = control_id;
      d.control_validator = bundle->multi_stage ? "stage-validator" : "config-validator";
      if (bundle->multi_stage && code != 0) {
        d.defender_stage_detected = rng.chance(0.3);
        d.defender_detected = d.defender_stage_detected || rng.chance(0.1);
      }
      emit(d);
      ++emitted;
    }
  }
}

}  // namespace achilles
