#include <catch2/catch.hpp>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/errors.hpp"

using namespace achilles;

namespace {
AnalyticsSettings cloud_configured() {
  AnalyticsSettings s;
  s.connection_type = "cloud";
  s.cloud_id = "deployment:abc";
  s.api_key = "old-key";
  s.index_pattern = "f0rtika-*";
  s.configured = true;
  s.tls_insecure_skip_verify = true;
  return s;
}
AnalyticsSettingsUpdate update(std::string type) {
  AnalyticsSettingsUpdate u;
  u.connection_type = std::move(type);
  return u;
}
}  // namespace

TEST_CASE("switching modes drops the stale credentials but keeps the index pattern", "[settings]") {
  auto u = update("direct");
  u.api_key = "new-key";
  u.node = "https://es.internal:9200";
  auto s = merged(cloud_configured(), u);
  CHECK(s.cloud_id.empty());
  CHECK(s.api_key == "new-key");
  CHECK(s.node == "https://es.internal:9200");
  CHECK(s.index_pattern == "f0rtika-*");
  CHECK_FALSE(s.tls_insecure_skip_verify);
  CHECK(s.configured);
}

TEST_CASE("the same mode with blank fields keeps what was stored", "[settings]") {
  auto u = update("cloud");
  u.api_key = "";
  auto s = merged(cloud_configured(), u);
  CHECK(s.api_key == "old-key");
  CHECK(s.cloud_id == "deployment:abc");
  CHECK(s.tls_insecure_skip_verify);
}

TEST_CASE("a first setup is not a mode switch", "[settings]") {
  auto u = update("direct");
  u.node = "http://localhost:9200";
  auto s = merged(AnalyticsSettings{}, u);
  CHECK(s.node == "http://localhost:9200");
  CHECK(s.index_pattern == "achilles-results-*");
  CHECK(s.write_index_prefix == "achilles-results-");
  CHECK(s.write_index_rollover == "none");
}

TEST_CASE("settings updates are validated with the original's messages", "[settings]") {
  CHECK_THROWS_WITH(validate(update("")), Catch::Contains("connectionType: Connection type is required"));
  for (const char* bad : {"", "achilles-*", "Upper", "-lead"}) {
    auto u = update("direct");
    u.write_index_prefix = bad;
    CHECK_THROWS_AS(validate(u), ValidationFailed);
  }
  auto good = update("direct");
  good.write_index_prefix = " achilles-results- ";
  good.write_index_rollover = "daily";
  CHECK_NOTHROW(validate(good));
  CHECK(merged(AnalyticsSettings{}, good).write_index_prefix == "achilles-results-");
  auto hourly = update("direct");
  hourly.write_index_rollover = "hourly";
  CHECK_THROWS_AS(validate(hourly), ValidationFailed);
}

TEST_CASE("stored credentials stay with their endpoint: another node or cloud id must bring its own", "[settings][security]") {
  AnalyticsSettings direct;
  direct.connection_type = "direct";
  direct.node = "https://es.corp:9200";
  direct.api_key = "stored-key";
  direct.username = "elastic";
  direct.password = "stored-password";
  direct.configured = true;
  auto elsewhere = update("direct");
  elsewhere.node = "https://attacker.example:9200";
  const auto moved = merged(direct, elsewhere);
  CHECK(moved.api_key.empty());
  CHECK(moved.password.empty());
  CHECK(moved.username.empty());
  auto same = update("direct");
  same.node = "https://es.corp:9200";
  CHECK(merged(direct, same).api_key == "stored-key");  // the same node keeps them
  auto with_key = update("direct");
  with_key.node = "https://other.corp:9200";
  with_key.api_key = "its-own-key";
  CHECK(merged(direct, with_key).api_key == "its-own-key");
  auto other_cloud = update("cloud");
  other_cloud.cloud_id = "another:xyz";
  CHECK(merged(cloud_configured(), other_cloud).api_key.empty());
}

TEST_CASE("settings that cannot serve name the field", "[settings]") {
  auto issue = [](const AnalyticsSettings& s) {
    try {
      validate_usable(s);
    } catch (const ValidationFailed& e) {
      return e.issues().front().path;
    }
    return std::string();
  };
  AnalyticsSettings s;
  s.connection_type = "bogus";
  CHECK(issue(s) == "connectionType");
  s.connection_type = "cloud";
  CHECK(issue(s) == "cloudId");
  s.connection_type = "direct";
  CHECK(issue(s) == "node");
  s.node = "ftp://es:21";
  CHECK(issue(s) == "node");
  s.node = "https://es:9200";
  CHECK(issue(s).empty());
  CHECK(node_shown("https://u:p@es:9200/x") == "https://***@es:9200/x");
  CHECK(node_shown("https://es:9200/a@b") == "https://es:9200/a@b");
}
