// The detection rate as the API documents it (D8): ±windowMinutes on real
// times. defender-spec §13 cases 1–6 re-expressed, and the cases where the
// original's hour buckets give another answer.
#include <catch2/catch.hpp>

#include "achilles/defender/detection_rate.hpp"

using namespace achilles;

namespace {

constexpr std::int64_t H = 1'772'013'600'000;  // 2026-02-25T10:00:00Z
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

ExecutionTimeline executions(std::vector<std::pair<std::string, std::vector<std::int64_t>>> by_technique) {
  ExecutionTimeline t;
  for (auto& [technique, times] : by_technique) t.techniques.push_back({technique, times, {}});
  return t;
}

std::vector<AlertSighting> alerts(std::vector<std::pair<std::string, std::int64_t>> sightings) {
  std::vector<AlertSighting> out;
  for (auto& [technique, t] : sightings) out.push_back({technique, t, {}});
  return out;
}

}  // namespace

TEST_CASE("executions with an alert of their technique within the window are correlated, the rest are not",
          "[defender][detection-rate]") {
  const auto rate = detection_rate(executions({{"T1003", {H, H, H, H + kHour, H + kHour}}, {"T1486", {H + 10 * kHour, H + 10 * kHour}}}),
                                   alerts({{"T1003", H}, {"T1003", H + 5 * kMinute}, {"T1003", H + kHour}}), 60 * kMinute, false);
  CHECK(rate.total_executions == 7);
  CHECK(rate.correlated_executions == 5);
  CHECK(rate.detection_rate == 71.4);
  CHECK(rate.tested_techniques == 2);
  CHECK(rate.detected_techniques == 1);
  REQUIRE(rate.by_technique.size() == 2);
  CHECK(rate.by_technique[0] == TechniqueDetection{"T1003", 5, 5, true});
  CHECK(rate.by_technique[1] == TechniqueDetection{"T1486", 2, 0, false});
}

TEST_CASE("no executions and no alerts is a rate of 0 with no techniques", "[defender][detection-rate]") {
  const auto rate = detection_rate({}, {}, 60 * kMinute, false);
  CHECK(rate.detection_rate == 0);
  CHECK(rate.total_executions == 0);
  CHECK(rate.tested_techniques == 0);
  CHECK(rate.by_technique.empty());
}

TEST_CASE("detected techniques come first, whatever their number of executions", "[defender][detection-rate]") {
  const auto rate = detection_rate(executions({{"T1486", std::vector<std::int64_t>(10, H)}, {"T1003", {H, H}}}),
                                   alerts({{"T1003", H}}), 60 * kMinute, false);
  REQUIRE(rate.by_technique.size() == 2);
  CHECK(rate.by_technique[0].technique == "T1003");
  CHECK(rate.by_technique[1].technique == "T1486");
}

TEST_CASE("a parent technique's alert credits its sub-technique's executions, never the other way",
          "[defender][detection-rate]") {
  SECTION("sub-technique execution, parent alert") {
    const auto rate = detection_rate(executions({{"T1574.002", {H, H, H, H}}}), alerts({{"T1574", H}}), 60 * kMinute, false);
    CHECK(rate.by_technique[0] == TechniqueDetection{"T1574.002", 4, 4, true});
    CHECK(rate.detection_rate == 100);
  }
  SECTION("parent execution, sub-technique alert") {
    const auto rate = detection_rate(executions({{"T1574", {H, H, H, H}}}), alerts({{"T1574.002", H}}), 60 * kMinute, false);
    CHECK(rate.by_technique[0] == TechniqueDetection{"T1574", 4, 0, false});
    CHECK(rate.detection_rate == 0);
  }
  SECTION("siblings") {
    const auto rate = detection_rate(executions({{"T1574.001", {H}}}), alerts({{"T1574.002", H}}), 60 * kMinute, false);
    CHECK_FALSE(rate.by_technique[0].detected);
  }
}

TEST_CASE("the overall rate counts executions, not techniques", "[defender][detection-rate]") {
  const auto rate = detection_rate(executions({{"T1003", std::vector<std::int64_t>(9, H)}, {"T1486", {H}}}),
                                   alerts({{"T1003", H + 30 * kMinute}}), 60 * kMinute, false);
  CHECK(rate.detection_rate == 90);
  CHECK(rate.total_executions == 10);
  CHECK(rate.correlated_executions == 9);
  CHECK(rate.detected_techniques == 1);
}

TEST_CASE("the window is minutes on real times, where the original's hour buckets answer otherwise",
          "[defender][detection-rate]") {
  SECTION("an alert 50 minutes later across an hour boundary is within 60 minutes") {
    // 10:40 and 11:30: two hours apart as buckets would see them with a narrower window,
    // within ±60 minutes in fact.
    const auto rate = detection_rate(executions({{"T1003", {H + 40 * kMinute}}}), alerts({{"T1003", H + 90 * kMinute}}),
                                     60 * kMinute, false);
    CHECK(rate.correlated_executions == 1);
  }
  SECTION("an alert 59 minutes away is outside 30 minutes, though in the same hour bucket") {
    const auto rate = detection_rate(executions({{"T1003", {H}}}), alerts({{"T1003", H + 59 * kMinute}}), 30 * kMinute, false);
    CHECK(rate.correlated_executions == 0);
  }
  SECTION("an alert 70 minutes away is outside 60 minutes, though in the neighbouring hour bucket") {
    const auto rate = detection_rate(executions({{"T1003", {H + 50 * kMinute}}}), alerts({{"T1003", H - 20 * kMinute}}),
                                     60 * kMinute, false);
    CHECK(rate.correlated_executions == 0);
  }
  SECTION("both edges of the window count") {
    const auto rate = detection_rate(executions({{"T1003", {H, H + 2 * kHour}}}),
                                     alerts({{"T1003", H - 15 * kMinute}, {"T1003", H + 2 * kHour + 15 * kMinute}}),
                                     15 * kMinute, false);
    CHECK(rate.correlated_executions == 2);
  }
  SECTION("a zero window needs the same millisecond") {
    const auto rate = detection_rate(executions({{"T1003", {H, H + 1}}}), alerts({{"T1003", H}}), 0, false);
    CHECK(rate.correlated_executions == 1);
  }
}

TEST_CASE("with host matching an alert counts only for executions on a host it saw", "[defender][detection-rate]") {
  ExecutionTimeline e;
  e.hosts = {"lt-tpl-l50", "pc1", "SRV-9"};
  e.techniques.push_back({"T1003", {H, H, H}, {0, 1, 2}});
  std::vector<AlertSighting> a = {{"T1003", H + 5 * kMinute, {"LT-TPL-L50.CONTOSO.LOCAL"}},
                                  {"T1003", H + 5 * kMinute, {"PC10"}}};
  const auto by_host = detection_rate(e, a, 60 * kMinute, true);
  // lt-tpl-l50 matches its FQDN; pc1 matches PC10 (a prefix, as the evidence
  // query matches); SRV-9 saw nothing.
  CHECK(by_host.correlated_executions == 2);
  const auto tenant_wide = detection_rate(e, a, 60 * kMinute, false);
  CHECK(tenant_wide.correlated_executions == 3);
}

TEST_CASE("rates round to one decimal as JavaScript's Math.round does", "[defender][detection-rate]") {
  CHECK(one_decimal_percent(1, 3) == 33.3);
  CHECK(one_decimal_percent(2, 3) == 66.7);
  CHECK(one_decimal_percent(1, 8) == 12.5);
  CHECK(one_decimal_percent(0, 0) == 0);
  CHECK(parent_technique("T1574.002") == "T1574");
  CHECK(parent_technique("T1574") == "");
  CHECK(parent_technique(".001") == "");
}
