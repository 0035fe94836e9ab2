// Which stored alerts a Defender question is about, evaluated in memory: the
// reference every store answers like (the store contract runs the same cases).
#include <catch2/catch.hpp>

#include "achilles/defender/alert_query.hpp"
#include "achilles/defender/test_alerts.hpp"

using namespace achilles;

namespace {

AlertDocument alert(std::string id, std::string created, std::string severity, std::vector<std::string> techniques) {
  AlertDocument a;
  a.id = "alert-" + id;
  a.alert_id = id;
  a.created_at = std::move(created);
  a.timestamp = a.created_at;
  a.severity = std::move(severity);
  a.status = "new";
  a.alert_title = "Suspicious process " + id;
  a.description = "A process behaved like credential theft";
  a.category = "CredentialAccess";
  a.mitre_techniques = std::move(techniques);
  return a;
}

std::vector<std::string> ids(const AlertPage& p) {
  std::vector<std::string> out;
  for (const auto& a : p.alerts) out.push_back(a.alert_id);
  return out;
}

}  // namespace

TEST_CASE("a technique filter takes sub-techniques, never a longer number", "[defender][alert-query]") {
  const std::vector<AlertDocument> all = {alert("a", "2026-02-25T10:00:00Z", "high", {"T1059"}),
                                          alert("b", "2026-02-25T11:00:00Z", "high", {"T1059.001"}),
                                          alert("c", "2026-02-25T12:00:00Z", "high", {"T10590"}),
                                          alert("d", "2026-02-25T13:00:00Z", "high", {})};
  AlertQuery q;
  q.techniques = {"T1059"};
  CHECK(ids(alert_page_of(all, q, {AlertSortField::CreatedAt, false, 0, 10})) == std::vector<std::string>{"a", "b"});
  q.sub_techniques = false;
  CHECK(ids(alert_page_of(all, q, {AlertSortField::CreatedAt, false, 0, 10})) == std::vector<std::string>{"a"});
}

TEST_CASE("alert pages: offset and size over the sorted matches, with the total", "[defender][alert-query]") {
  std::vector<AlertDocument> all;
  for (int i = 0; i < 12; ++i)
    all.push_back(alert("a" + std::to_string(10 + i), "2026-02-25T10:" + std::to_string(10 + i) + ":00.1234567Z",
                        i % 3 ? "medium" : "high", {"T1003"}));
  const auto page = alert_page_of(all, {}, {AlertSortField::CreatedAt, true, 5, 5});
  CHECK(page.total == 12);
  CHECK(ids(page) == std::vector<std::string>{"a16", "a15", "a14", "a13", "a12"});
  AlertQuery high;
  high.severity = "high";
  CHECK(alert_page_of(all, high, {AlertSortField::CreatedAt, true, 0, 2}).total == 4);
  CHECK(alert_page_of(all, {}, {AlertSortField::CreatedAt, true, 20, 5}).alerts.empty());
}

TEST_CASE("alert search finds any of its words in the title or description, or the category", "[defender][alert-query]") {
  const std::vector<AlertDocument> all = {alert("a", "2026-02-25T10:00:00Z", "high", {})};
  auto found = [&](std::string words) {
    AlertQuery q;
    q.search = std::move(words);
    return alert_page_of(all, q, {}).total;
  };
  CHECK(found("suspicious") == 1);
  CHECK(found("CREDENTIAL ransomware") == 1);
  CHECK(found("CredentialAccess") == 1);
  CHECK(found("ransomware") == 0);
  CHECK(found("cred") == 0);
}

TEST_CASE("sorting by a field with missing values puts them last either way", "[defender][alert-query]") {
  auto a = alert("a", "2026-02-25T10:00:00Z", "high", {});
  auto b = alert("b", "2026-02-25T11:00:00Z", "low", {});
  auto c = alert("c", "2026-02-25T12:00:00Z", "medium", {});
  a.updated_at = "2026-02-26T10:00:00Z";
  c.updated_at = "2026-02-27T10:00:00Z";
  const std::vector<AlertDocument> all = {a, b, c};
  CHECK(ids(alert_page_of(all, {}, {AlertSortField::UpdatedAt, true, 0, 10})) == std::vector<std::string>{"c", "a", "b"});
  CHECK(ids(alert_page_of(all, {}, {AlertSortField::UpdatedAt, false, 0, 10})) == std::vector<std::string>{"a", "c", "b"});
  CHECK(ids(alert_page_of(all, {}, {AlertSortField::Severity, false, 0, 10})) == std::vector<std::string>{"a", "b", "c"});
  CHECK(alert_sort_field_from("alert_title.keyword") == AlertSortField::Title);
  CHECK_FALSE(alert_sort_field_from("description"));
}

TEST_CASE("alert tallies: by severity, status and technique, and per day with empty days between", "[defender][alert-query]") {
  std::vector<AlertDocument> all = {alert("a", "2026-02-25T10:00:00Z", "high", {"T1003", "T1003"}),
                                    alert("b", "2026-02-25T23:59:59.999Z", "informational", {"T1059"}),
                                    alert("c", "2026-02-27T00:00:00+01:00", "low", {"T1003"})};
  all[2].status = "resolved";
  AlertQuery since_epoch;
  since_epoch.created_from_ms = 0;  // days are counted within a window only
  const auto t = alert_tally_of(all, since_epoch);
  CHECK(t.total == 3);
  CHECK(t.by_severity == std::vector<AlertCount>{{"high", 1}, {"informational", 1}, {"low", 1}});
  CHECK(t.by_status == std::vector<AlertCount>{{"new", 2}, {"resolved", 1}});
  CHECK(t.by_technique == std::vector<AlertCount>{{"T1003", 2}, {"T1059", 1}});
  REQUIRE(t.by_day.size() == 2);  // 26 Feb 23:00Z is the third alert's day
  CHECK(t.by_day[0] == AlertDay{1'771'977'600'000, 2, 1, 0, 0});
  CHECK(t.by_day[1] == AlertDay{1'772'064'000'000, 1, 0, 0, 1});
  AlertQuery recent;
  recent.created_from_ms = 1'772'064'000'000;
  CHECK(alert_tally_of(all, recent).total == 1);
  // Unbounded, no days: a stray creation date in year 1 costs nothing.
  all.push_back(alert("d", "0001-01-01T00:00:00Z", "low", {}));
  CHECK(alert_tally_of(all, {}).by_day.empty());
  CHECK(alert_tally_of(all, {}).total == 4);
}

TEST_CASE("the executions drawer asks by evidence first, then by technique on the host, then by technique",
          "[defender][alert-query]") {
  TestAlertsRequest r;
  r.techniques = {"T1003", "T1059"};
  r.timestamp = "2026-02-25T12:00:00Z";
  r.time_ms = 1'772'020'800'000;
  r.window_minutes = 30;
  SECTION("without host or binary: technique only, −5 minutes to +window") {
    const auto tiers = test_alert_tiers(r);
    REQUIRE(tiers.size() == 1);
    CHECK(tiers[0].tier == TestAlertTier::TechniqueOnly);
    CHECK(tiers[0].query.techniques == r.techniques);
    CHECK_FALSE(tiers[0].query.sub_techniques);
    CHECK(tiers[0].query.seen == SeenWindow{r.time_ms - 5 * 60'000, r.time_ms + 30 * 60'000});
  }
  SECTION("with host and binary: evidence with its fixed window, then host, then technique") {
    r.hostname = "SBL3483";
    r.binary_name = "5E59DD6A-8F1C-4B2A-9E3D-EA9B5E054CB9.exe";
    r.bundle_name = "BlueHammer Early-Stage Behavioral Pattern";
    r.window_minutes = 120;
    const auto tiers = test_alert_tiers(r);
    REQUIRE(tiers.size() == 3);
    CHECK(tiers[0].tier == TestAlertTier::Evidence);
    CHECK(tiers[0].query.techniques.empty());
    CHECK(tiers[0].query.files->uuid == "5e59dd6a-8f1c-4b2a-9e3d-ea9b5e054cb9");
    CHECK(tiers[0].query.files->name_token == "bluehammer");
    CHECK(tiers[0].query.seen == SeenWindow{r.time_ms - 5 * 60'000, r.time_ms + 30 * 60'000});
    CHECK(tiers[1].tier == TestAlertTier::TechniqueAndHost);
    CHECK(tiers[1].query.host_prefix == "SBL3483");
    CHECK(tiers[1].query.seen == SeenWindow{r.time_ms - 5 * 60'000, r.time_ms + 120 * 60'000});
    CHECK(tiers[2].tier == TestAlertTier::TechniqueOnly);
  }
}

TEST_CASE("the drawer's answer: nearest first, the asked techniques it holds, the tier's total", "[defender][alert-query]") {
  TestAlertsRequest r;
  r.techniques = {"T1003"};
  r.time_ms = 1'772'013'600'000;  // 10:00Z
  const auto out = test_alerts_of(r,
                                  {alert("a1", "2026-02-25T09:40:00Z", "high", {"T1059"}),
                                   alert("a2", "2026-02-25T10:15:00Z", "high", {"T1003"}),
                                   alert("a3", "2026-02-25T10:05:00Z", "high", {"T1003.001", "T1003"})},
                                  57);
  REQUIRE(out.alerts.size() == 3);
  CHECK(out.alerts[0].alert.alert_id == "a3");
  CHECK(out.alerts[1].alert.alert_id == "a2");
  CHECK(out.alerts[2].alert.alert_id == "a1");
  CHECK(out.matched_techniques == std::vector<std::string>{"T1003"});
  CHECK(out.total == 57);
}
