// Defender analytics parameters: garbage is a 400 naming the parameter
// (REC-13, REC-14, REC-16), never passed on.
#include <catch2/catch.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/defender_request_parsing.hpp"

using namespace achilles;
using Catch::Matchers::Contains;

TEST_CASE("days and windowMinutes are whole numbers within bounds", "[defender][requests]") {
  CHECK(parse_detection_rate_request({}).days == 30);
  CHECK(parse_detection_rate_request({}).window_minutes == 60);
  CHECK(parse_detection_rate_request({{"days", "7"}, {"windowMinutes", "0"}}).window_minutes == 0);
  CHECK(parse_detection_rate_request({{"days", ""}}).days == 30);
  for (const char* bad : {"abc", "-1", "0", "12abc", "1.5", "36501", "99999999999999999999999"})
    CHECK_THROWS_WITH(parse_detection_rate_request({{"days", bad}}), Contains("'days'"));
  for (const char* bad : {"-5", "1441", "NaN"})
    CHECK_THROWS_WITH(parse_detection_rate_request({{"windowMinutes", bad}}), Contains("'windowMinutes'"));
  CHECK(parse_detection_rate_request({{"matchHost", "true"}}).match_host);
  CHECK_THROWS_WITH(parse_detection_rate_request({{"matchHost", "yes"}}), Contains("'matchHost'"));
}

TEST_CASE("alert list: pages, sizes and sort fields are checked", "[defender][requests]") {
  const auto r = parse_alert_list_request({{"page", "3"}, {"pageSize", "10"}, {"techniques", " T1059, ,T1003 "},
                                           {"sortField", "severity"}, {"sortOrder", "asc"}, {"status", "new"}});
  CHECK(r.page.offset == 20);
  CHECK(r.page.limit == 10);
  CHECK(r.page.sort == AlertSortField::Severity);
  CHECK_FALSE(r.page.descending);
  CHECK(r.query.techniques == std::vector<std::string>{"T1059", "T1003"});
  CHECK(r.query.status == "new");
  CHECK(parse_alert_list_request({{"sortOrder", "ASC"}}).page.descending);  // as the original: only "asc" is ascending
  CHECK_THROWS_WITH(parse_alert_list_request({{"sortField", "description"}}), Contains("'sortField'"));
  CHECK_THROWS_WITH(parse_alert_list_request({{"page", "0"}}), Contains("'page'"));
  CHECK_THROWS_WITH(parse_alert_list_request({{"pageSize", "501"}}), Contains("'pageSize'"));
  CHECK_THROWS_WITH(parse_alert_list_request({{"page", "101"}, {"pageSize", "100"}}), Contains("10000"));
}

TEST_CASE("alerts-for-test needs techniques and a time that parses", "[defender][requests]") {
  CHECK_THROWS_WITH(parse_test_alerts_request({{"timestamp", "2026-02-25T10:00:00Z"}}),
                    Contains("techniques and timestamp are required"));
  CHECK_THROWS_WITH(parse_test_alerts_request({{"techniques", "T1003"}}),
                    Contains("techniques and timestamp are required"));
  CHECK_THROWS_WITH(parse_test_alerts_request({{"techniques", "T1003"}, {"timestamp", "yesterday"}}),
                    Contains("'timestamp'"));
  CHECK_THROWS_WITH(parse_test_alerts_request({{"techniques", "T1003"}, {"timestamp", "2026-02-25T10:00:00Z"}, {"windowMinutes", "x"}}),
                    Contains("'windowMinutes'"));
  const auto r = parse_test_alerts_request({{"techniques", "T1003,T1059"}, {"timestamp", "2026-02-25T10:00:00.123456+01:00"}});
  CHECK(r.time_ms == 1'772'010'000'123);
  CHECK(r.window_minutes == 30);
}

TEST_CASE("controls: only the literal words filter by deprecation, and a correlation needs a title", "[defender][requests]") {
  CHECK(parse_controls_request({{"deprecated", "false"}}).deprecated == false);
  CHECK_FALSE(parse_controls_request({{"deprecated", "no"}}).deprecated);
  CHECK_THROWS_WITH(parse_control_correlation_request({}), Contains("controlTitle is required"));
  CHECK(parse_control_correlation_request({{"controlTitle", "Enable MFA"}}).days == 30);
}
