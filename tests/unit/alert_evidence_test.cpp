// Evidence that an alert came from one of our executions (defender-spec §6,
// §13 cases 10–15), on alerts shaped as the sync stores them.
#include <catch2/catch.hpp>

#include "achilles/defender/alert_evidence.hpp"
#include "achilles/defender/test_alerts.hpp"

using namespace achilles;

namespace {

const std::string kUuid = "92b0b4f6-3a1e-4c8e-9b7d-31ce461f804c";

AlertDocument alert_at(std::string created, std::vector<std::string> hosts, std::vector<std::string> files,
                       std::vector<std::string> paths = {}) {
  AlertDocument a;
  a.id = "alert-da6381c2-1f7e-4b1e-9a1e-0c0f5e7b2d11";
  a.alert_id = "da6381c2-1f7e-4b1e-9a1e-0c0f5e7b2d11";
  a.created_at = created;
  a.timestamp = created;
  a.evidence_hostnames = std::move(hosts);
  a.evidence_filenames = std::move(files);
  a.evidence_filepaths = std::move(paths);
  return a;
}

ExecutionEvidenceFields execution() {
  return {kUuid + "::T1204.002", "2026-03-27T07:52:54.123456+00:00", "lt-tpl-l50",
          "BlueHammer Early-Stage Behavioral Pattern", "T1204.002"};
}

}  // namespace

TEST_CASE("bundle uuid and bundle-name token are read as the original reads them", "[defender][evidence]") {
  CHECK(bundle_uuid_of(kUuid + "::T1204.002") == kUuid);
  CHECK(bundle_uuid_of(kUuid) == kUuid);
  CHECK(bundle_uuid_of("") == "");
  CHECK(bundle_name_token("BlueHammer Early-Stage Behavioral Pattern") == "bluehammer");
  CHECK(bundle_name_token("PROMPTFLUX v1 — LLM-assisted dropper") == "promptflux");
  CHECK_FALSE(bundle_name_token("DoS — Denial of Service"));
  CHECK_FALSE(bundle_name_token(""));
}

TEST_CASE("the bundle question: the execution's host, −5/+30 minutes, and a file of the bundle", "[defender][evidence]") {
  const auto q = bundle_evidence_question(execution());
  REQUIRE(q);
  CHECK(q->host_prefix == "LT-TPL-L50");
  CHECK(q->files.uuid == kUuid);
  CHECK(q->files.name_token == "bluehammer");
  CHECK_FALSE(q->files.stage_control);
  const std::string fqdn = "LT-TPL-L50.CORP.CONTOSO.COM";

  CHECK(answers(alert_at("2026-03-27T07:55:01.5170000Z", {fqdn}, {kUuid + ".exe"}), *q));
  CHECK(answers(alert_at("2026-03-27T08:22:54.000Z", {fqdn}, {kUuid + "-t1204.002.exe"}), *q));
  CHECK(answers(alert_at("2026-03-27T07:47:54.200Z", {fqdn}, {}, {"c:\\users\\fortika-test\\bluehammersandbox\\stage.dll"}), *q));
  CHECK(answers(alert_at("2026-03-27T08:00:00Z", {fqdn}, {}, {"c:\\programdata\\f0rtika\\" + kUuid + "\\"}), *q));
  // Outside the window, another host, unrelated files.
  CHECK_FALSE(answers(alert_at("2026-03-27T08:23:55.000Z", {fqdn}, {kUuid + ".exe"}), *q));
  CHECK_FALSE(answers(alert_at("2026-03-27T07:40:00.000Z", {fqdn}, {kUuid + ".exe"}), *q));
  CHECK_FALSE(answers(alert_at("2026-03-27T08:00:00Z", {"SRV-FILES01"}, {kUuid + ".exe"}), *q));
  CHECK_FALSE(answers(alert_at("2026-03-27T08:00:00Z", {fqdn}, {"mimikatz.exe"}, {"c:\\temp\\mimikatz.exe"}), *q));
}

TEST_CASE("an alert counts when its last update or its creation falls in the window", "[defender][evidence]") {
  const SeenWindow w{1'774'699'582'000, 1'774'701'682'000};  // 2026-03-28T12:06:22Z .. 12:41:22Z
  auto a = alert_at("2026-03-01T09:00:00Z", {"H"}, {});
  a.timestamp = "2026-03-28T12:15:00Z";
  CHECK(seen_within(a, w));  // reactivated: old creation, fresh update
  a.created_at = "2026-03-28T12:12:00Z";
  a.timestamp = "2026-03-28T13:16:00Z";
  CHECK(seen_within(a, w));  // updated since
  a.created_at = "2026-03-28T11:00:00Z";
  CHECK_FALSE(seen_within(a, w));
}

TEST_CASE("no question without the fields it needs", "[defender][evidence]") {
  auto e = execution();
  e.hostname = "";
  CHECK_FALSE(bundle_evidence_question(e));
  e = execution();
  e.event_time = "not-a-date";
  CHECK_FALSE(bundle_evidence_question(e));
  CHECK_FALSE(stage_evidence_question(e));
  e = execution();
  e.control_id = "";
  CHECK(bundle_evidence_question(e));
  CHECK_FALSE(stage_evidence_question(e));
  e = execution();
  e.bundle_name = "DoS — Denial of Service";
  CHECK_FALSE(bundle_evidence_question(e)->files.name_token);
}

TEST_CASE("the stage question: exactly that stage's binary, or a variant of it", "[defender][evidence]") {
  const std::string uuid = "bf448c7a-5c2e-4f0a-8d3b-7e9f1a2b3c4d";
  auto e = execution();
  e.test_uuid = uuid + "::T1053.005";
  e.control_id = "T1053.005";
  const auto q = stage_evidence_question(e);
  REQUIRE(q);
  CHECK(q->files.stage_control == "t1053.005");
  const std::string host = "LT-TPL-L50";
  CHECK(answers(alert_at("2026-03-27T08:00:00Z", {host}, {uuid + "-t1053.005.exe"}), *q));
  CHECK(answers(alert_at("2026-03-27T08:00:00Z", {host}, {uuid + "-t1053.005-schtasks.exe"}), *q));
  CHECK_FALSE(answers(alert_at("2026-03-27T08:00:00Z", {host}, {uuid + "-t10531.exe"}), *q));
  CHECK_FALSE(answers(alert_at("2026-03-27T08:00:00Z", {host}, {uuid + ".exe"}), *q));
  // The bundle's folder says nothing about which stage.
  CHECK_FALSE(answers(alert_at("2026-03-27T08:00:00Z", {host}, {}, {"c:\\f0\\" + uuid + "\\x.exe"}), *q));
}

TEST_CASE("an alert is attributed to the stage its first stage binary names", "[defender][evidence]") {
  const std::string uuid = "5e59dd6a-8f1c-4b2a-9e3d-ea9b5e054cb9";
  auto attributed = [&](std::vector<std::string> files) { return stage_attribution(alert_at("", {}, files), uuid); };
  CHECK(attributed({uuid + "-t1211-cfapi.exe"}) == StageAttribution{true, "t1211-cfapi"});
  CHECK(attributed({uuid + "-T1562.001.exe"}) == StageAttribution{true, "t1562.001"});
  CHECK(attributed({uuid + ".exe", uuid + "-t1211-vssenum.exe", "cmd.exe"}) == StageAttribution{true, "t1211-vssenum"});
  CHECK(attributed({uuid + ".exe"}) == StageAttribution{});
  CHECK(attributed({"mimikatz_dump_win32_signature.txt"}) == StageAttribution{});
  CHECK(attributed({"11111111-2222-3333-4444-555555555555-t9999.exe"}) == StageAttribution{});
  CHECK(stage_attribution(alert_at("", {}, {uuid + "-t1.exe"}), "") == StageAttribution{});
}
