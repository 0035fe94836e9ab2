#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <sys/stat.h>

#include "achilles/embedded/sqlite_results_file.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {
unsigned short port_of(const std::string& listening_line) {
  return static_cast<unsigned short>(std::stoi(listening_line.substr(listening_line.rfind(':') + 1)));
}
}  // namespace

TEST_CASE("serve generates a private admin token, prints its path but never the token", "[cli][serve]") {
  TempDir dir;
  const auto data = dir / "data";
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());

  const auto token_file = data / "admin.token";
  REQUIRE(std::filesystem::exists(token_file));
  struct stat st {};
  ::stat(token_file.c_str(), &st);
  CHECK((st.st_mode & 0777) == 0600);
  std::string token = slurp(token_file);
  token.erase(token.find_last_not_of("\n") + 1);
  CHECK(token.size() == 64);
  CHECK(server.output().find(token_file.string()) != std::string::npos);
  CHECK(server.output().find(token) == std::string::npos);

  HttpClient client(port_of(listening));
  CHECK(client.get("/api/analytics/defense-score").status == 401);
  CHECK(client.get("/api/analytics/defense-score", token).status == 200);
  CHECK(server.stop(SIGTERM) == 0);  // a clean stop on SIGTERM
}

TEST_CASE("the same token survives a restart, and ACHILLES_ADMIN_TOKEN overrides it", "[cli][serve]") {
  TempDir dir;
  const auto data = dir / "data";
  std::string first_token;
  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(server.wait_for_line("listening on").empty());
    first_token = slurp(data / "admin.token");
  }
  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(server.wait_for_line("listening on").empty());
    CHECK(slurp(data / "admin.token") == first_token);
  }
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"},
                      {"ACHILLES_ADMIN_TOKEN=from-the-environment-0123456789abcdef"});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  HttpClient client(port_of(listening));
  CHECK(client.get("/api/analytics/defense-score", "from-the-environment-0123456789abcdef").status == 200);
  first_token.erase(first_token.find_last_not_of("\n") + 1);
  CHECK(client.get("/api/analytics/defense-score", first_token).status == 401);
}

TEST_CASE("a running server sees what an import beside it commits", "[cli][serve]") {
  TempDir dir;
  const auto data = dir / "data";
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"},
                      {"ACHILLES_ADMIN_TOKEN=t0ken-t0ken-t0ken-t0ken-t0ken-t0ken"});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  HttpClient client(port_of(listening));
  auto total = [&] {
    auto reply = client.get("/api/analytics/defense-score?from=now-30d", "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken");
    REQUIRE(reply.status == 200);
    return boost::json::parse(reply.body).at("totalExecutions").as_int64();
  };
  CHECK(total() == 0);
  REQUIRE(run_achilles("demo-data --executions 500 --seed 9 --days 10", dir).exit_code == 0);
  std::filesystem::rename(dir / "stdout.txt", dir / "demo.ndjson");
  REQUIRE(run_achilles("import --data-dir '" + data.string() + "' '" + (dir / "demo.ndjson").string() + "'", dir)
              .exit_code == 0);
  CHECK(total() > 0);
}

TEST_CASE("files are private: data dir 0700, results.db and admin.token 0600, a short admin token refused",
          "[cli][serve][security]") {
  TempDir dir;
  const auto data = dir / "data";
  std::filesystem::create_directories(data);
  std::filesystem::permissions(data, std::filesystem::perms::all);  // as someone left it
  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(server.wait_for_line("listening on").empty());
  }
  auto mode = [](const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
  };
  CHECK(mode(data) == 0700);
  CHECK(mode(data / "results.db") == 0600);
  CHECK(mode(data / "admin.token") == 0600);
  // A token planted as a link to another file is not followed.
  std::filesystem::remove(data / "admin.token");
  std::filesystem::create_symlink(dir / "elsewhere", data / "admin.token");
  std::ofstream(dir / "elsewhere") << "attacker-chosen-token-0123456789abcdef\n";
  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"});
    CHECK(server.wait_for_line("listening on").empty());
  }
  std::filesystem::remove(data / "admin.token");
  const auto short_token = run_achilles_env("serve --data-dir '" + data.string() + "' --listen 127.0.0.1:0", dir,
                                            "ACHILLES_ADMIN_TOKEN=short");
  CHECK(short_token.exit_code != 0);
  CHECK(short_token.err.find("at least 32 characters") != std::string::npos);
}

TEST_CASE("an API write during an import answers 503 within moments, and the import still commits", "[cli][serve][store]") {
  TempDir dir;
  const auto data = dir / "data";
  const std::string token = "t0ken-t0ken-t0ken-t0ken-t0ken-t0ken";
  ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data.string(), "--listen", "127.0.0.1:0"},
                      {"ACHILLES_ADMIN_TOKEN=" + token});
  const auto listening = server.wait_for_line("listening on");
  REQUIRE_FALSE(listening.empty());
  HttpClient client(port_of(listening));
  const std::string acceptance = R"({"test_name":"T","justification":"accepted while importing"})";

  embedded::SqliteResultsFile import(data / "results.db");  // what `achilles import` does: one long transaction
  import.begin();
  std::vector<ResultDocument> docs{ResultDocument{}};
  docs[0].id = "during-import";
  docs[0].test_uuid = "u";
  docs[0].test_name = "T";
  import.add(docs);
  const auto started = std::chrono::steady_clock::now();
  const auto busy = client.request(boost::beast::http::verb::post, "/api/risk-acceptances", token, acceptance);
  CHECK(busy.status == 503);
  CHECK_FALSE(busy.header(boost::beast::http::field::retry_after).empty());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(client.get("/api/analytics/defense-score", token).status == 200);  // reads never stall
  import.commit();
  CHECK(client.request(boost::beast::http::verb::post, "/api/risk-acceptances", token, acceptance).status == 201);
  CHECK(embedded::SqliteResultsFile(data / "results.db").count() == 1);
}

TEST_CASE("serve takes its address and data dir from the environment the systemd unit gives it, flags winning",
          "[cli][serve][package]") {
  TempDir dir;
  {
    // The unit sets no flag: StateDirectory= names the data dir.
    ChildProcess server({ACHILLES_BINARY, "serve"},
                        {"STATE_DIRECTORY=" + (dir / "state").string(), "ACHILLES_LISTEN=127.0.0.1:0"});
    const auto listening = server.wait_for_line("listening on");
    REQUIRE_FALSE(listening.empty());
    CHECK(std::filesystem::exists(dir / "state/results.db"));
    CHECK(HttpClient(port_of(listening)).get("/api/ready").status == 200);
  }
  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", (dir / "flag").string()},
                        {"STATE_DIRECTORY=" + (dir / "state").string(), "ACHILLES_DATA_DIR=" + (dir / "env").string(),
                         "ACHILLES_LISTEN=127.0.0.1:0"});
    REQUIRE_FALSE(server.wait_for_line("listening on").empty());
    CHECK(std::filesystem::exists(dir / "flag/results.db"));
    CHECK_FALSE(std::filesystem::exists(dir / "env"));
  }
  ChildProcess server({ACHILLES_BINARY, "serve", "--listen", "127.0.0.1:0"},
                      {"STATE_DIRECTORY=" + (dir / "state").string(), "ACHILLES_DATA_DIR=" + (dir / "env").string()});
  REQUIRE_FALSE(server.wait_for_line("listening on").empty());
  CHECK(std::filesystem::exists(dir / "env/results.db"));
}

TEST_CASE("achilles --help lists every verb and every setting with its default", "[cli][package]") {
  TempDir dir;
  const auto help = run_achilles("--help", dir);
  CHECK(help.exit_code == 0);
  for (const char* verb : {"serve", "import", "demo-data", "demo-defender", "api-key create", "api-key list", "api-key revoke"})
    CHECK(help.out.find(std::string("achilles ") + verb) != std::string::npos);
  for (const char* setting : {"ACHILLES_LISTEN", "ACHILLES_DATA_DIR", "ACHILLES_ADMIN_TOKEN", "ENCRYPTION_SECRET",
                              "ELASTICSEARCH_NODE", "CLERK_SECRET_KEY", "ACHILLES_RATE_LIMIT_PER_15MIN"})
    CHECK(help.out.find(std::string("\n  ") + setting + "\n") != std::string::npos);
  CHECK(help.out.find("(default: 127.0.0.1:8080)") != std::string::npos);
  CHECK(run_achilles("", dir).exit_code == 2);
}
