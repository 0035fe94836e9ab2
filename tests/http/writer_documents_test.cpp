// Result documents exactly as the original's writer stores them
// (tests/fixtures/writer_documents.ndjson, platform-spec §4.3-§4.4): they
// import, serve from the embedded store and from a cluster that received the
// same bulk request, give the same answer to every dashboard GET from both,
// and the executions views hand every field back as stored.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <sstream>

#include "codec/result_document_json.hpp"
#include "support/cluster_and_reference.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

const std::string kFixture = std::string(ACHILLES_FIXTURES_DIR) + "/writer_documents.ndjson";
constexpr const char* kIndex = "achilles-results-2025.01";

// What `achilles import` reads from the fixture, in order (a later line with
// the same id replaces an earlier one, as the store does).
std::vector<ResultDocument> imported(const std::string& text) {
  std::vector<ResultDocument> docs;
  server::ResultLineReader reader;
  std::istringstream lines(text);
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    auto outcome = reader.feed(line, ++number);
    INFO("line " << number);
    REQUIRE_FALSE(std::holds_alternative<server::ResultLineReader::Invalid>(outcome));
    if (auto* in = std::get_if<server::IncomingResult>(&outcome)) docs.push_back(std::move(in->document));
  }
  return docs;
}

const json::object& execution_named(const json::array& data, std::string_view name) {
  for (const auto& e : data)
    if (e.at("test_name").is_string() && e.at("test_name").get_string() == name) return e.as_object();
  FAIL("no execution named " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the writer's documents answer every dashboard GET the same from the cluster and the embedded store",
          "[es][http][equivalence][writer]") {
  const std::string bulk = file_text(kFixture);
  ClusterAndReference setup(kIndex, bulk, imported(bulk));
  setup.check_every_dashboard_get_answers_the_same();
}

TEST_CASE("the executions views give the writer's fields back as stored, on both backends", "[es][http][writer]") {
  const std::string bulk = file_text(kFixture);
  ClusterAndReference setup(kIndex, bulk, imported(bulk));
  for (TestServer* server : {&setup.server, &setup.reference}) {
    INFO((server == &setup.server ? "cluster" : "embedded"));
    auto client = server->client();
    const auto page = json::parse(client.get("/api/analytics/executions/paginated?from=now-30d&pageSize=100", "admin-token").body);
    // 20 stored documents (the re-sent task replaced its first version), one without a test uuid.
    CHECK(page.at("pagination").at("totalItems") == 19);
    const auto& data = page.at("data").as_array();

    const auto& full = execution_named(data, "PowerShell Download Cradle");
    CHECK(full.at("timestamp") == "2025-01-19T14:00:00Z");  // the agent's whole seconds, not re-formatted
    CHECK(full.at("target") == json::array{"windows-endpoint"});
    CHECK(full.at("techniques") == json::array{"T1059.001"});
    CHECK(full.at("score") == 7.5);

    const auto& corrected = execution_named(data, "LSASS Memory Dump");
    CHECK(corrected.at("error_code") == 126);  // the later version of the same id
    CHECK(corrected.at("timestamp") == "2025-01-18T09:30:12.345678Z");
    CHECK(corrected.at("target") == json::array{});
    CHECK(corrected.at("tags") == json::array{});

    const auto& nulls = execution_named(data, "Null Metadata Test");
    for (const char* key : {"category", "subcategory", "severity", "techniques", "tactics", "threat_actor", "target",
                            "complexity", "tags", "score"}) {
      INFO(key);
      REQUIRE(nulls.contains(key));
      CHECK(nulls.at(key).is_null());
    }
    CHECK(nulls.at("timestamp") == "2025-01-17T10:15:30.5+02:00");

    const auto& absent = execution_named(data, "Absent Metadata Test");
    for (const char* key : {"category", "subcategory", "severity", "techniques", "tactics", "threat_actor", "target",
                            "complexity", "tags", "score", "bundle_id", "control_id"})
      CHECK_FALSE(absent.contains(key));
    CHECK(absent.at("error_name") == "UnexpectedTestError");

    const auto& legacy = execution_named(data, "Legacy Single Target");
    CHECK(legacy.at("target") == "linux");          // one string stays one string
    CHECK(legacy.at("techniques") == "T1059.004");

    CHECK(execution_named(data, "Mimikatz Logonpasswords").at("timestamp") == "2025-01-16T08:00:00.123456789Z");
    const auto& stage = execution_named(data, "Credential Dumping");  // the later run: not enriched
    CHECK(stage.at("is_bundle_control") == true);
    CHECK(stage.at("timestamp") == "2025-01-19T03:04:05.678+01:00");
    CHECK(stage.at("defender_stage_detected") == false);
    std::size_t enriched = 0;
    for (const auto& e : data) enriched += e.at("defender_stage_detected") == true;
    CHECK(enriched == 1);

    // Grouped: the two Akira runs are two groups; the identity-tenant bundle one.
    const auto grouped = json::parse(
        client.get("/api/analytics/executions/paginated?from=now-30d&grouped=true&pageSize=100", "admin-token").body);
    CHECK(grouped.at("pagination").at("totalGroups") == 10);  // 6 standalone + CH + 2 Akira + identity
    std::size_t akira_runs = 0;
    for (const auto& g : grouped.at("groups").as_array()) {
      const auto& key = g.at("groupKey").as_string();
      if (key.starts_with("bundle::b7e1f0a4-3c2d-4f5e-8a9b-0c1d2e3f4a01::")) {
        ++akira_runs;
        CHECK(g.at("totalCount") == 4);
      }
    }
    CHECK(akira_runs == 2);
  }
}

TEST_CASE("target filters and breakdowns count a document under each of its values", "[es][http][writer]") {
  const std::string bulk = file_text(kFixture);
  ClusterAndReference setup(kIndex, bulk, imported(bulk));
  for (TestServer* server : {&setup.server, &setup.reference}) {
    INFO((server == &setup.server ? "cluster" : "embedded"));
    auto client = server->client();
    // Mimikatz (101) and LSASS (126) both carry T1003.001 among two techniques; so does one Akira stage per run.
    const auto by_technique =
        json::parse(client.get("/api/analytics/technique-distribution?from=now-30d", "admin-token").body).as_array();
    std::int64_t t1003 = -1, t1558 = -1;
    for (const auto& row : by_technique) {
      const auto total = row.at("protected").as_int64() + row.at("unprotected").as_int64();
      if (row.at("technique") == "T1003.001") t1003 = total;
      if (row.at("technique") == "T1558.003") t1558 = total;
    }
    CHECK(t1003 == 4);
    CHECK(t1558 == 2);
    const auto filtered = json::parse(
        client.get("/api/analytics/executions/paginated?from=now-30d&techniques=T1558.003", "admin-token").body);
    CHECK(filtered.at("pagination").at("totalItems") == 2);
  }
}
