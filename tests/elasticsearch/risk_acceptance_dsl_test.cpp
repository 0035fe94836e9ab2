// Golden tests: risk acceptances as the original stores them in
// achilles-risk-acceptances, and the list search the adapter sends.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
#include "achilles/elasticsearch/risk_acceptance_source.hpp"
#include "achilles/errors.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
namespace json = boost::json;

TEST_CASE("a list filters by status, test name and org (its own or none), newest first with an id tie-break",
          "[es][dsl][risk]") {
  RiskAcceptanceQuery q;
  q.status = RiskStatus::Active;
  q.test_name = "T1059";
  q.org_id = "org-1";
  const json::array after{1737331200000, "acc-9"};
  CHECK(json::value(risk_acceptance_list_request(q, 1000, &after)) == json::parse(R"({
    "size":1000,
    "query":{"bool":{"filter":[
      {"term":{"status":"active"}},
      {"term":{"test_name":"T1059"}},
      {"bool":{"should":[{"term":{"org_id":"org-1"}},{"term":{"org_id":""}},{"bool":{"must_not":[{"exists":{"field":"org_id"}}]}}],
               "minimum_should_match":1}}]}},
    "sort":[{"accepted_at":{"order":"desc"}},{"acceptance_id":{"order":"desc"}}],
    "search_after":[1737331200000,"acc-9"]})"));
  CHECK(json::value(risk_acceptance_list_request({}, 50, nullptr)) == json::parse(R"({
    "size":50,"query":{"bool":{"filter":[]}},
    "sort":[{"accepted_at":{"order":"desc"}},{"acceptance_id":{"order":"desc"}}]})"));
}

TEST_CASE("a record written by the original reads back, legacy ones included", "[es][dsl][risk]") {
  // As the original's service writes it (risk-acceptance.md), revoked.
  const auto original = decode_risk_acceptance(json::parse(R"({
    "acceptance_id":"acc-001","test_name":"T1059-powershell","control_id":"C2","hostname":"WS-01","scope":"host",
    "justification":"Compensating control is deployed and verified.","accepted_by":"user_2abc","accepted_by_name":"Ana",
    "accepted_at":"2026-02-15T10:00:00.000Z","status":"revoked","revoked_at":"2026-02-16T08:30:00.000Z",
    "revoked_by":"user_3def","revoked_by_name":"Bo","revocation_reason":"Control removed from the fleet"})").as_object(),
                                               "acc-001");
  CHECK(original.test_name == "T1059-powershell");
  CHECK(original.scope == RiskScope::Host);
  CHECK(original.accepted_at_ms == 1771149600000);
  CHECK(original.status == RiskStatus::Revoked);
  CHECK(original.revoked_at_ms == 1771230600000);
  CHECK_FALSE(original.org_id.has_value());
  // Ours writes the same fields back.
  CHECK(decode_risk_acceptance(encode_risk_acceptance(original), "acc-001") == original);

  // A legacy record: no scope (host-scoped by its hostname), epoch-millisecond time, an empty org.
  const auto legacy = decode_risk_acceptance(json::parse(R"({"test_name":"T","hostname":"h1","org_id":"",
    "justification":"old enough record","accepted_by":"u","accepted_by_name":"U","accepted_at":1771149600000,
    "status":"active"})").as_object(), "legacy-id");
  CHECK(legacy.acceptance_id == "legacy-id");
  CHECK_FALSE(legacy.scope.has_value());
  CHECK(legacy.effective_scope() == RiskScope::Host);
  CHECK_FALSE(legacy.org_id.has_value());
  CHECK(legacy.is_active());
  CHECK_FALSE(encode_risk_acceptance(legacy).contains("scope"));

  // A status we do not know excludes nothing.
  auto odd = json::parse(R"({"test_name":"T","accepted_at":"2026-02-15T10:00:00Z","status":"paused"})").as_object();
  CHECK_FALSE(decode_risk_acceptance(odd, "x").is_active());
}

TEST_CASE("a record that cannot be read is an error naming it, not a silently ignored acceptance", "[es][dsl][risk]") {
  CHECK_THROWS_AS(decode_risk_acceptance(json::parse(R"({"accepted_at":"2026-02-15T10:00:00Z"})").as_object(), "no-name"),
                  BackendUnavailable);
  try {
    decode_risk_acceptance(json::parse(R"({"test_name":"T","accepted_at":"yesterday"})").as_object(), "bad-time");
    FAIL("no exception");
  } catch (const BackendUnavailable& e) {
    CHECK(std::string(e.what()).find("bad-time") != std::string::npos);
    CHECK(std::string(e.what()).find("accepted_at") != std::string::npos);
  }
}

TEST_CASE("the index mapping is the original's with org_id a keyword", "[es][dsl][risk]") {
  const auto properties = risk_acceptances_index_body().at("mappings").at("properties").as_object();
  CHECK(properties.at("org_id").at("type") == "keyword");
  CHECK(properties.at("test_name").at("type") == "keyword");
  CHECK(properties.at("accepted_at").at("type") == "date");
  CHECK(properties.at("justification").at("type") == "text");
  CHECK(properties.size() == 15);
}
