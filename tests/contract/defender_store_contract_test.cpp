// What every DefenderStore does, on the embedded store and on a cluster (the
// fake of tests/fakes, over HTTP): ids replace, controls are the latest set,
// Achilles' marks on alerts survive a re-sync, watermarks persist.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "contract/results_adapters.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

SecureScoreDocument score(const std::string& day, double current) {
  GraphSecureScore s;
  s.azure_tenant_id = "t1";
  s.created_date_time = day + "T00:00:00Z";
  s.current_score = current;
  s.max_score = 200;
  s.control_scores = {{"MFARegistrationV2", "Identity", 9}};
  return secure_score_document(s);
}

AlertDocument alert(const std::string& id, const std::string& status) {
  GraphAlert a;
  a.id = id;
  a.title = "Suspicious LSASS access";
  a.severity = "high";
  a.status = status;
  a.created_date_time = "2026-11-29T14:03:22.1234567Z";
  a.last_update_date_time = "2026-11-29T15:00:00.0000000Z";
  a.mitre_techniques = {"T1003.001"};
  a.evidence.device_dns_names = {"win10-lab-07.contoso.local"};
  a.evidence.file_names = {"Achilles_LSASS_Dump.EXE"};
  return alert_document(a, "t1");
}

ControlProfileDocument control(const std::string& id) {
  GraphControlProfile p;
  p.id = id;
  p.title = "Require MFA for administrative roles";
  p.threats = {"AccountBreach"};
  p.rank = 7;
  return control_profile_document(p, "t1", "2026-11-30T08:00:00.000Z");
}

}  // namespace

TEMPLATE_TEST_CASE("a day's score replaces that day's, newest first", "[defender][store][contract]", DEFENDER_STORES) {
  TestType fx;
  CHECK(fx.store.put_secure_scores({score("2026-11-28", 100), score("2026-11-29", 110)}).written == 2);
  CHECK(fx.store.put_secure_scores({score("2026-11-29", 120)}).written == 1);
  const auto scores = fx.store.secure_scores();
  REQUIRE(scores.size() == 2);
  CHECK(scores[0].id == "score-2026-11-29");
  CHECK(scores[0].current_score == 120);
  CHECK(scores[0].score_percentage == 60);
  CHECK(scores[0] == score("2026-11-29", 120));
}

TEMPLATE_TEST_CASE("control profiles are the latest set", "[defender][store][contract]", DEFENDER_STORES) {
  TestType fx;
  fx.store.replace_control_profiles({control("AdminMFAV2"), control("scid_2010")});
  fx.store.replace_control_profiles({control("BlockLegacyAuthentication")});
  const auto controls = fx.store.control_profiles();
  REQUIRE(controls.size() == 1);
  CHECK(controls[0] == control("BlockLegacyAuthentication"));
}

TEMPLATE_TEST_CASE("alerts upsert by id and keep Achilles' marks", "[defender][store][contract]", DEFENDER_STORES) {
  TestType fx;
  fx.store.upsert_alerts({alert("a1", "new"), alert("a2", "new")});
  AlertAnnotations marks;
  marks.achilles_correlated = true;
  marks.achilles_test_uuid = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";
  marks.achilles_matched_at = "2026-11-30T08:05:00.000Z";
  REQUIRE(fx.store.annotate_alert("alert-a1", marks));
  CHECK_FALSE(fx.store.annotate_alert("alert-missing", marks));
  fx.store.upsert_alerts({alert("a1", "resolved")});
  const auto a1 = fx.store.alert("alert-a1");
  REQUIRE(a1);
  CHECK(a1->status == "resolved");
  CHECK(a1->f0rtika == marks);
  CHECK(a1->evidence_hostnames == std::vector<std::string>{"WIN10-LAB-07.CONTOSO.LOCAL"});
  CHECK(a1->evidence_filenames == std::vector<std::string>{"achilles_lsass_dump.exe"});
  CHECK(a1->created_at == "2026-11-29T14:03:22.1234567Z");
  CHECK(fx.store.alerts().size() == 2);
  CHECK_FALSE(fx.store.alert("alert-nope"));
}

TEMPLATE_TEST_CASE("watermarks persist, and a new store has none", "[defender][store][contract]", DEFENDER_STORES) {
  TestType fx;
  CHECK(fx.store.watermarks() == DefenderWatermarks{});
  const DefenderWatermarks marks{"2026-11-30T08:00:00.000Z", "2026-11-30T07:00:00.000Z", 3};
  fx.store.save_watermarks(marks);
  CHECK(fx.store.watermarks() == marks);
  CHECK(fx.store.alerts().empty());  // the state is no alert
}

#ifndef ACHILLES_LIVE_ELASTICSEARCH
TEST_CASE("on a cluster: the original's index and mapping, and nothing of f0rtika in a sync's write", "[defender][store][es]") {
  contract::DefenderThroughFake fx;
  fx.store.upsert_alerts({alert("a1", "new")});
  bool created = false, no_marks = true;
  for (const auto& r : fx.cluster.requests()) {
    if (r.method == "PUT" && r.target == "/" + fx.temporary.index) {
      created = true;
      const auto mapping = boost::json::parse(r.body).at("mappings").at("properties");
      CHECK(mapping.at("control_scores").at("type") == "nested");
      CHECK(mapping.at("evidence_filepaths").at("fields").at("keyword").at("ignore_above") == 1024);
      CHECK(mapping.at("f0rtika").at("properties").at("achilles_test_uuid").at("type") == "keyword");
    }
    if (r.target.starts_with("/_bulk")) {
      no_marks = no_marks && r.body.find("f0rtika") == std::string::npos;
      CHECK(r.body.find(R"("doc_as_upsert":true)") != std::string::npos);
      CHECK(r.body.find(R"("retry_on_conflict":3)") != std::string::npos);
    }
  }
  CHECK(created);
  CHECK(no_marks);
  CHECK(fx.cluster.document_count(fx.temporary.index) == 1);
}

TEST_CASE("on a cluster one instance holds the sync lease, renews it, and another takes over when it lapses", "[defender][store][es][lease]") {
  FakeElasticsearch cluster;
  auto store_on = [&] {
    elasticsearch::EsConnection c;
    c.base_url = cluster.url();
    c.policy = loopback_policy();
    return std::make_unique<elasticsearch::ElasticsearchDefenderStore>(std::make_shared<elasticsearch::HttpTransport>(c));
  };
  auto one = store_on();
  auto two = store_on();
  constexpr std::int64_t kT = 1'796'025'600'000, kTtl = 60'000;
  CHECK(one->hold_sync_lease("one", kT, kTtl));
  CHECK_FALSE(two->hold_sync_lease("two", kT + 1000, kTtl));
  CHECK(one->hold_sync_lease("one", kT + 30'000, kTtl));  // renewed: now until kT + 90 s
  CHECK_FALSE(two->hold_sync_lease("two", kT + 80'000, kTtl));
  CHECK(two->hold_sync_lease("two", kT + 90'000, kTtl));  // lapsed: taken over
  CHECK_FALSE(one->hold_sync_lease("one", kT + 91'000, kTtl));
}

TEST_CASE("a store of one process always grants the lease", "[defender][store][lease]") {
  contract::DefenderInSqlite fx;
  CHECK(fx.store.hold_sync_lease("one", 0, 1));
  CHECK(fx.store.hold_sync_lease("two", 0, 1));  // one process per data dir is the flock's job
}
#endif

namespace {

// Alerts as the sync stores them, around a bundle run on WIN10-LAB-07.
std::vector<AlertDocument> alert_fleet() {
  auto make = [](std::string id, std::string created, std::string severity, std::string status,
                 std::vector<std::string> techniques, std::vector<std::string> hosts, std::vector<std::string> files,
                 std::vector<std::string> paths) {
    GraphAlert a;
    a.id = std::move(id);
    a.title = "Suspicious activity " + a.id;
    a.description = severity == "high" ? "Credential theft through LSASS memory" : "Encoded PowerShell download";
    a.category = severity == "high" ? "CredentialAccess" : "Execution";
    a.severity = std::move(severity);
    a.status = std::move(status);
    a.created_date_time = std::move(created);
    a.mitre_techniques = std::move(techniques);
    a.evidence.device_dns_names = std::move(hosts);
    a.evidence.file_names = std::move(files);
    a.evidence.file_paths = std::move(paths);
    return alert_document(a, "t1");
  };
  const std::string uuid = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";
  auto list = std::vector<AlertDocument>{
      make("a1", "2026-11-29T14:03:22.1234567Z", "high", "new", {"T1003.001"}, {"Win10-LAB-07.Contoso.local"},
           {uuid + "-t1003.001.exe"}, {"C:\\ProgramData\\Achilles\\bundles\\" + uuid}),
      make("a2", "2026-11-29T14:20:00Z", "medium", "inProgress", {"T1059.001", "T1105"}, {"win10-lab-07.contoso.local"},
           {"powershell.exe"}, {"C:\\Users\\fortika-test\\BlueHammerSandbox"}),
      make("a3", "2026-11-28T09:41:07.8836712Z", "low", "resolved", {}, {"srv-build-02.contoso.local"}, {"mimikatz.exe"}, {}),
      make("a4", "2026-11-27T23:59:59.999+00:00", "high", "new", {"T1003"}, {"WIN10-LAB-070"}, {uuid + ".exe"}, {}),
      make("a5", "2026-11-29T13:50:00Z", "medium", "new", {"T10030"}, {"WIN10-LAB-07"}, {uuid + "-t1003.001-x.exe"}, {})};
  list[4].updated_at = "2026-11-30T08:00:00Z";
  list[4].timestamp = "2026-11-30T08:00:00Z";
  return list;
}

std::vector<AlertQuery> alert_questions() {
  const std::string uuid = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";
  std::vector<AlertQuery> qs(16);
  qs[1].severity = "high";
  qs[2].status = "new";
  qs[3].techniques = {"T1003"};
  qs[4].techniques = {"T1003"}, qs[4].sub_techniques = false;
  qs[5].search = "lsass";
  qs[6].search = "Execution";
  qs[7].created_from_ms = 1'795'910'400'000;  // 2026-11-29T00:00Z
  qs[8].seen = SeenWindow{1'795'960'800'000, 1'795'962'600'000};  // 2026-11-29T14:00Z .. 14:30Z
  qs[9].host_prefix = "WIN10-LAB-07";
  qs[10].files = FileEvidence{uuid, "bluehammer", std::nullopt};
  qs[11].files = FileEvidence{uuid, std::nullopt, "t1003.001"};
  qs[12].host_prefix = "WIN10-LAB-07.";
  qs[12].techniques = {"T1003", "T1059"};
  qs[13].correlated = true;
  qs[14].correlated = true, qs[14].status = "new", qs[14].auto_resolve_modes = std::vector<std::string>{""};
  qs[15].auto_resolve_modes = std::vector<std::string>{"", "dry_run"};
  return qs;
}

std::vector<std::string> alert_ids(const AlertPage& p) {
  std::vector<std::string> out;
  for (const auto& a : p.alerts) out.push_back(a.alert_id);
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("alert questions are answered as the in-memory reference answers them", "[defender][store][contract]",
                   DEFENDER_STORES) {
  TestType fx;
  const auto fleet = alert_fleet();
  fx.store.upsert_alerts(fleet);
  AlertAnnotations correlated;
  correlated.achilles_correlated = true;
  correlated.achilles_test_uuid = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";
  REQUIRE(fx.store.annotate_alert("alert-a1", correlated));
  REQUIRE(fx.store.annotate_alert("alert-a2", correlated));
  AlertAnnotations dry_run;
  dry_run.auto_resolved = true;
  dry_run.auto_resolve_mode = "dry_run";
  REQUIRE(fx.store.annotate_alert("alert-a2", dry_run));
  AlertAnnotations settled;
  settled.auto_resolve_mode = "enabled";
  REQUIRE(fx.store.annotate_alert("alert-a4", settled));
  const auto stored = fx.store.alerts();
  const auto questions = alert_questions();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    INFO("question " << i);
    for (const auto sort : {AlertSortField::CreatedAt, AlertSortField::Severity, AlertSortField::UpdatedAt}) {
      const AlertPageQuestion page{sort, sort != AlertSortField::Severity, 0, 10};
      const auto expected = alert_page_of(stored, questions[i], page);
      const auto got = fx.store.find_alerts(questions[i], page);
      CHECK(got.total == expected.total);
      CHECK(alert_ids(got) == alert_ids(expected));
    }
    const auto tally = fx.store.tally_alerts(questions[i]);
    const auto reference = alert_tally_of(stored, questions[i]);
    CHECK(tally.total == reference.total);
    CHECK(tally.by_severity == reference.by_severity);
    CHECK(tally.by_status == reference.by_status);
    CHECK(tally.by_technique == reference.by_technique);
    CHECK(tally.by_day == reference.by_day);
  }
  // A few answers spelled out, so the reference itself is pinned.
  CHECK(alert_ids(fx.store.find_alerts(questions[3], {})) == std::vector<std::string>{"a1", "a4"});
  CHECK(alert_ids(fx.store.find_alerts(questions[9], {})) == std::vector<std::string>{"a2", "a1", "a5", "a4"});
  CHECK(alert_ids(fx.store.find_alerts(questions[10], {})) == std::vector<std::string>{"a2", "a1", "a5", "a4"});
  CHECK(alert_ids(fx.store.find_alerts(questions[11], {})) == std::vector<std::string>{"a1", "a5"});
  CHECK(alert_ids(fx.store.find_alerts(questions[8], {})) == std::vector<std::string>{"a2", "a1"});
  CHECK(alert_ids(fx.store.find_alerts(questions[13], {})) == std::vector<std::string>{"a2", "a1"});
  CHECK(alert_ids(fx.store.find_alerts(questions[14], {})) == std::vector<std::string>{"a1"});
  CHECK(alert_ids(fx.store.find_alerts(questions[15], {})) == std::vector<std::string>{"a2", "a1", "a5", "a3"});
  CHECK(fx.store.find_alerts({}, {AlertSortField::CreatedAt, true, 2, 2}).total == 5);
  CHECK(alert_ids(fx.store.find_alerts({}, {AlertSortField::CreatedAt, true, 2, 2})) == std::vector<std::string>{"a5", "a3"});
}

TEMPLATE_TEST_CASE("alert sightings: one per alert and technique since a time, hosts when asked",
                   "[defender][store][contract]", DEFENDER_STORES) {
  TestType fx;
  fx.store.upsert_alerts(alert_fleet());
  auto sightings = fx.store.alert_sightings(1'795'910'400'000, true);  // since 2026-11-29T00:00Z
  std::sort(sightings.begin(), sightings.end(),
            [](const auto& a, const auto& b) { return std::tie(a.created_ms, a.technique) < std::tie(b.created_ms, b.technique); });
  REQUIRE(sightings.size() == 4);
  CHECK(sightings[0] == AlertSighting{"T10030", 1'795'960'200'000, {"WIN10-LAB-07"}});
  CHECK(sightings[1] == AlertSighting{"T1003.001", 1'795'961'002'123, {"WIN10-LAB-07.CONTOSO.LOCAL"}});
  CHECK(sightings[2].technique == "T1059.001");
  CHECK(sightings[3].technique == "T1105");
  CHECK(fx.store.alert_sightings(0, false).size() == 5);  // a3 carries no technique
  CHECK(fx.store.alert_sightings(0, false)[0].hosts.empty());
}

TEMPLATE_TEST_CASE("auto-resolve receipts: kept in full, newest first, settled ones counted", "[defender][store][contract]",
                   DEFENDER_STORES) {
  TestType fx;
  auto receipt = [](std::string id, std::string at, std::string outcome) {
    return AutoResolveReceipt{id, at, "alert-a1", "a1", "Suspicious LSASS access", "high",
                              "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13", "enabled", outcome,
                              outcome == "failed" ? "Graph PATCH failed: HTTP 500" : ""};
  };
  fx.store.add_receipt(receipt("r1", "2026-11-29T08:00:00.000Z", "failed"));
  fx.store.add_receipt(receipt("r2", "2026-11-30T07:00:00.000Z", "resolved"));
  fx.store.add_receipt(receipt("r3", "2026-11-28T07:00:00.000Z", "would_resolve"));
  const auto all = fx.store.receipts(10, 0);
  CHECK(all.total == 3);
  REQUIRE(all.items.size() == 3);
  CHECK(all.items[0] == receipt("r2", "2026-11-30T07:00:00.000Z", "resolved"));
  CHECK(all.items[1] == receipt("r1", "2026-11-29T08:00:00.000Z", "failed"));
  CHECK(all.items[2].id == "r3");
  const auto second = fx.store.receipts(1, 1);
  CHECK(second.total == 3);
  REQUIRE(second.items.size() == 1);
  CHECK(second.items[0].id == "r1");
  CHECK(fx.store.count_settled_receipts(1'795'910'400'000) == 1);  // since 29 Nov: r2 (r1 failed)
  CHECK(fx.store.count_settled_receipts(0) == 2);
}
