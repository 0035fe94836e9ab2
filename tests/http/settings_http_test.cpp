#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <sys/stat.h>

#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
namespace beast_http = boost::beast::http;

TEST_CASE("settings start unconfigured: the embedded store serves", "[settings][http]") {
  TestServer server;
  auto reply = server.client().get("/api/analytics/settings", "explorer-token");
  CHECK(reply.status == 200);
  CHECK(reply.body ==
        R"({"configured":false,"connectionType":"cloud","indexPattern":"achilles-results-*",)"
        R"("writeIndexPrefix":"achilles-results-","writeIndexRollover":"none","tlsInsecureSkipVerify":false})");
}

TEST_CASE("saved settings are masked on read and encrypted at rest, 0600", "[settings][http]") {
  TestServer server;
  auto client = server.client();
  auto saved = client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                              R"({"connectionType":"cloud","cloudId":"dep:abc","apiKey":"my-es-api-key","indexPattern":"f0rtika-*"})");
  CHECK(saved.status == 200);
  CHECK(saved.body == R"({"success":true})");
  auto read = json::parse(client.get("/api/analytics/settings", "admin-token").body).as_object();
  CHECK(read.at("configured") == true);
  CHECK(read.at("cloudId") == "***");
  CHECK(read.at("indexPattern") == "f0rtika-*");
  CHECK_FALSE(read.contains("apiKey"));

  const auto file = server.data_dir() / "analytics.json";
  const std::string text = slurp(file);
  CHECK(text.find("my-es-api-key") == std::string::npos);
  CHECK(text.find("\"apiKey\": \"enc:") != std::string::npos);
  CHECK(text.starts_with("{\n  \"connectionType\": \"cloud\",\n  \"cloudId\": \"enc:"));
  struct stat st {};
  ::stat(file.c_str(), &st);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a settings file written by the original is read", "[settings][http]") {
  TestServer server;
  std::ofstream(server.data_dir() / "analytics.json")
      << R"({"connectionType":"direct","cloudId":"","apiKey":"enc:000102030405060708090a0b0c0d0e0f:432bc5d48a780daabcff60c2652477bd:6a24d604f83413984bf98c6096","node":"https://es.example.internal:9200","username":"","password":"","indexPattern":"achilles-results-*","writeIndexPrefix":"achilles-results-","writeIndexRollover":"daily","configured":true,"caCert":"PEM","tlsInsecureSkipVerify":false})";
  auto read = json::parse(server.client().get("/api/analytics/settings", "admin-token").body).as_object();
  CHECK(read.at("configured") == true);
  CHECK(read.at("node") == "https://es.example.internal:9200");
  CHECK(read.at("caCert") == "***");
  CHECK(read.at("writeIndexRollover") == "daily");
  CHECK_FALSE(read.contains("settingsFileError"));
}

TEST_CASE("an unreadable settings file is reported and moved aside, never overwritten", "[settings][http]") {
  TestServer server;
  const auto file = server.data_dir() / "analytics.json";
  std::ofstream(file) << R"({"connectionType":"direct","apiKey":"enc:00:11:22","configured":true})";
  auto client = server.client();
  auto read = json::parse(client.get("/api/analytics/settings", "admin-token").body).as_object();
  CHECK(read.at("configured") == false);
  CHECK(read.at("settingsFileError").as_string().find("cannot be read") != std::string::npos);
  auto saved = json::parse(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                                          R"({"connectionType":"direct","node":"http://93.184.216.34:9200"})").body).as_object();
  CHECK(saved.at("success") == true);
  const std::string aside(saved.at("previousFileMovedTo").as_string());
  CHECK(slurp(aside).find("enc:00:11:22") != std::string::npos);
  CHECK(json::parse(client.get("/api/analytics/settings", "admin-token").body).at("node") == "http://93.184.216.34:9200");
}

TEST_CASE("settings writes need analytics:settings:write and a valid body", "[settings][http]") {
  TestServer server;
  auto client = server.client();
  CHECK(client.request(beast_http::verb::post, "/api/analytics/settings", "operator-token", R"({"connectionType":"cloud"})").status == 403);
  auto missing = client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token", R"({"apiKey":"x"})");
  CHECK(missing.status == 400);
  CHECK(json::parse(missing.body).at("error").as_string().starts_with("Validation failed: connectionType"));
  CHECK(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                       R"({"connectionType":"cloud","writeIndexPrefix":"achilles-*"})").status == 400);
  CHECK(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                       R"({"connectionType":"cloud","tlsInsecureSkipVerify":"yes"})").status == 400);
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "analytics.json"));
}

TEST_CASE("a node URL aimed at cloud metadata, link-local or private addresses is refused", "[settings][http][security]") {
  TestServer server;
  auto client = server.client();
  for (const char* node : {"http://169.254.169.254/latest", "http://127.0.0.1:9200", "http://10.0.0.5:9200",
                           "file:///etc/passwd", "http://[fe80::1]:9200"}) {
    INFO(node);
    auto reply = client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                                std::string(R"({"connectionType":"direct","node":")") + node + "\"}");
    CHECK(reply.status == 400);
    CHECK(json::parse(reply.body).at("error").as_string().starts_with("Validation failed: node:"));
  }
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "analytics.json"));
}
