#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <sys/stat.h>

#include "support/tcp_listener.hpp"
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
                              R"({"connectionType":"cloud","cloudId":"dep:ZXMuZXhhbXBsZS5jb20kYWJjJGRlZg==","apiKey":"my-es-api-key","indexPattern":"f0rtika-*"})");
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
  CHECK(read.at("settingsFileError").as_string().find(server.data_dir().string()) == std::string::npos);
  auto saved = json::parse(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                                          R"({"connectionType":"direct","node":"http://93.184.216.34:9200"})").body).as_object();
  CHECK(saved.at("success") == true);
  const std::string aside(saved.at("previousFileMovedTo").as_string());
  CHECK(aside.find('/') == std::string::npos);  // a name beside analytics.json, never an absolute path
  CHECK(slurp(server.data_dir() / aside).find("enc:00:11:22") != std::string::npos);
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

TEST_CASE("settings that cannot serve are a 400 naming the field, and the analytics API keeps answering",
          "[settings][http]") {
  TestServer server;
  auto client = server.client();
  auto save = [&](const std::string& body) {
    return client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token", body);
  };
  auto error_of = [](const Reply& r) { return std::string(json::parse(r.body).at("error").as_string()); };
  auto bogus = save(R"({"connectionType":"bogus"})");
  CHECK(bogus.status == 400);
  CHECK(error_of(bogus).starts_with("Validation failed: connectionType"));
  auto no_node = save(R"({"connectionType":"direct"})");
  CHECK(no_node.status == 400);
  CHECK(error_of(no_node).starts_with("Validation failed: node"));
  auto no_cloud_id = save(R"({"connectionType":"cloud","apiKey":"k"})");
  CHECK(no_cloud_id.status == 400);
  CHECK(error_of(no_cloud_id).starts_with("Validation failed: cloudId"));
  auto bad_cloud_id = save(R"({"connectionType":"cloud","cloudId":"not-a-cloud-id"})");
  CHECK(bad_cloud_id.status == 400);
  CHECK(error_of(bad_cloud_id).starts_with("Validation failed: cloudId"));
  auto not_http = save(R"({"connectionType":"direct","node":"es.example.com:9200"})");
  CHECK(not_http.status == 400);
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "analytics.json"));
  CHECK(server.backend_name() == "embedded");
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);
}

TEST_CASE("DELETE /settings goes back to the embedded store, for admins only", "[settings][http]") {
  TestServer server;
  auto client = server.client();
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":"http://93.184.216.34:9200"})").status == 200);
  CHECK(server.backend_name() == "elasticsearch");
  CHECK(client.request(beast_http::verb::delete_, "/api/analytics/settings", "operator-token", "").status == 403);
  CHECK(server.backend_name() == "elasticsearch");
  const auto removed = client.request(beast_http::verb::delete_, "/api/analytics/settings", "admin-token", "");
  CHECK(removed.status == 200);
  CHECK(json::parse(removed.body) == json::parse(R"({"success":true,"removed":true,"source":"defaults","backend":"embedded"})"));
  CHECK(server.backend_name() == "embedded");
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "analytics.json"));
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);
  CHECK(json::parse(client.get("/api/analytics/settings", "admin-token").body).at("configured") == false);
  // Twice: nothing left to remove, still fine.
  CHECK(json::parse(client.request(beast_http::verb::delete_, "/api/analytics/settings", "admin-token", "").body)
            .at("removed") == false);
}

TEST_CASE("credentials written into the node URL are masked on read", "[settings][http][security]") {
  TestServer server;
  auto client = server.client();
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":"https://elastic:hunter2@93.184.216.34:9200/"})").status == 200);
  const auto read = client.get("/api/analytics/settings", "explorer-token");
  CHECK(read.body.find("hunter2") == std::string::npos);
  CHECK(json::parse(read.body).at("node") == "https://***@93.184.216.34:9200/");
}

TEST_CASE("no spelling of a refused address reaches it through /settings, /settings/test or the live switch",
          "[settings][http][security]") {
  achilles::testing::TcpListener listener;
  TestServer server;  // no ACHILLES_ALLOWED_NETWORKS: loopback is refused
  auto client = server.client();
  const std::string port = std::to_string(listener.port());
  for (const std::string host : {"127.0.0.1", "localhost", "0177.0.0.1", "0x7f.1", "127.1", "2130706433",
                                 "[::ffff:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]"}) {
    const std::string body = R"({"connectionType":"direct","node":"http://)" + host + ":" + port + "\"}";
    INFO(body);
    const auto saved = client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token", body);
    CHECK(saved.status == 400);
    CHECK(json::parse(saved.body).at("error").as_string().starts_with("Validation failed: node:"));
    const auto tested = client.request(beast_http::verb::post, "/api/analytics/settings/test", "admin-token", body);
    CHECK(tested.status == 200);
    CHECK(json::parse(tested.body).at("success") == false);
    CHECK(server.backend_name() == "embedded");  // never switched
    CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);
  }
  CHECK(listener.connections() == 0);
}
