// `achilles api-key` at the console, and the key it prints working against
// a server on the same data dir.
#include <catch2/catch.hpp>

#include <regex>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;

TEST_CASE("achilles api-key creates a key shown once, lists it and revokes it", "[cli][api-keys]") {
  TempDir dir;
  const std::string data = (dir / "data").string();
  const auto created = run_achilles("api-key create --name 'CI gate' --scope read --org org-1 --data-dir '" + data + "'", dir);
  REQUIRE(created.exit_code == 0);
  std::string key = created.out;
  key.erase(key.find_last_not_of('\n') + 1);
  CHECK(std::regex_match(key, std::regex("pa_[0-9a-f]{64}")));
  CHECK(created.err.find("organisation org-1") != std::string::npos);

  const auto listed = run_achilles("api-key list --data-dir '" + data + "'", dir);
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("CI gate\t" + key.substr(0, 12) + "\tread\torg-1\t") != std::string::npos);
  CHECK(listed.out.find(key) == std::string::npos);
  const std::string id = listed.out.substr(listed.out.find('\n') + 1, 36);

  {
    ChildProcess server({ACHILLES_BINARY, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"});
    const auto listening = server.wait_for_line("listening on");
    REQUIRE_FALSE(listening.empty());
    CHECK(server.output().find("API keys") != std::string::npos);
    HttpClient client(static_cast<unsigned short>(std::stoi(listening.substr(listening.rfind(':') + 1))));
    CHECK(client.get("/api/analytics/defense-score", key).status == 200);
    CHECK(client.get("/api/analytics/defense-score?org=org-2", key).status == 403);
    REQUIRE(run_achilles("api-key revoke " + id + " --data-dir '" + data + "'", dir).exit_code == 0);
    CHECK(client.get("/api/analytics/defense-score", key).status == 401);  // the next request, no restart
  }
  const auto again = run_achilles("api-key revoke " + id + " --data-dir '" + data + "'", dir);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("API key not found or already revoked") != std::string::npos);
  const auto bad = run_achilles("api-key create --name x --scope everything --data-dir '" + data + "'", dir);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("scope") != std::string::npos);
}
