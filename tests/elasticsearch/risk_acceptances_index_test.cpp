// Risk acceptances in an achilles-risk-acceptances index the original
// created: its mapping leaves org_id to dynamic mapping (text with a keyword
// sub-field), where a term on org_id would match words, not organisations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

#include "support/loopback_policy.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
#include "achilles/errors.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/http_client.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;
using achilles::testing::HttpClient;
namespace json = boost::json;
namespace beast_http = boost::beast::http;

namespace {

// The original's mapping (its index-management module), and org_id as dynamic mapping adds it.
const char* const kOriginalMapping = R"({"mappings":{"properties":{
  "acceptance_id":{"type":"keyword"},"test_name":{"type":"keyword"},"control_id":{"type":"keyword"},
  "hostname":{"type":"keyword"},"scope":{"type":"keyword"},"justification":{"type":"text"},
  "accepted_by":{"type":"keyword"},"accepted_by_name":{"type":"keyword"},"accepted_at":{"type":"date"},
  "status":{"type":"keyword"},"revoked_at":{"type":"date"},"revoked_by":{"type":"keyword"},
  "revoked_by_name":{"type":"keyword"},"revocation_reason":{"type":"text"}ORG}}})";

std::string mapping_with(const std::string& org_mapping) {
  std::string m = kOriginalMapping;
  m.replace(m.find("ORG"), 3, org_mapping);
  return m;
}

std::string record(const std::string& id, const std::optional<std::string>& org) {
  return R"({"acceptance_id":")" + id + R"(","test_name":"T","scope":"global","justification":"long enough reason",)" +
         R"("accepted_by":"u","accepted_by_name":"U","accepted_at":"2026-02-15T10:00:00.000Z","status":"active")" +
         (org ? R"(,"org_id":")" + *org + "\"" : std::string()) + "}";
}

struct OriginalIndex {
  FakeElasticsearch cluster;
  HttpClient raw{cluster.port()};
  ElasticsearchRiskAcceptances store{[this] {
    EsConnection c;
    c.base_url = cluster.url();
    c.policy = achilles::testing::loopback_policy();
    return std::make_shared<HttpTransport>(c);
  }()};

  explicit OriginalIndex(const std::string& org_mapping) {
    REQUIRE(raw.request(beast_http::verb::put, "/achilles-risk-acceptances", "", mapping_with(org_mapping)).status == 200);
  }
  void stored(const std::string& id, const std::optional<std::string>& org) {
    REQUIRE(raw.request(beast_http::verb::put, "/achilles-risk-acceptances/_create/" + id, "", record(id, org)).status == 201);
  }
  json::value org_mapping() {
    const json::value mapping = json::parse(raw.get("/achilles-risk-acceptances/_mapping").body);
    const auto& properties = mapping.at("achilles-risk-acceptances").at("mappings").at("properties").as_object();
    return properties.contains("org_id") ? properties.at("org_id") : json::value();
  }
};

std::vector<std::string> ids(const std::vector<RiskAcceptance>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.acceptance_id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("on the original's dynamically mapped org_id, org filters match the whole organisation id", "[es][risk]") {
  OriginalIndex es(R"(,"org_id":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}})");
  es.stored("acme", "acme");
  es.stored("acme-corp", "Acme Corp");  // "acme" is one of its words: a term on the text field would match it
  es.stored("everyone", std::nullopt);
  es.stored("blank-org", "");  // written with org_id "": of no org, as the record reads
  RiskAcceptanceQuery acme;
  acme.org_id = "acme";
  CHECK(ids(es.store.list(acme)) == std::vector<std::string>{"acme", "blank-org", "everyone"});
  const auto sent = es.cluster.requests();
  CHECK(sent.back().body.find("\"org_id.keyword\"") != std::string::npos);
  CHECK(ids(es.store.list({})) == std::vector<std::string>{"acme", "acme-corp", "blank-org", "everyone"});
}

TEST_CASE("where the original never mapped org_id, it becomes a keyword before our first write", "[es][risk]") {
  OriginalIndex es("");
  es.stored("old", std::nullopt);
  // A read (perhaps with a read-only key) changes no mapping.
  es.cluster.clear_requests();
  RiskAcceptanceQuery any_org;
  any_org.org_id = "Org One";
  CHECK(ids(es.store.list(any_org)) == std::vector<std::string>{"old"});
  for (const auto& r : es.cluster.requests()) CHECK(r.method != "PUT");
  CHECK(es.org_mapping().is_null());

  RiskAcceptance mine;
  mine.acceptance_id = "mine";
  mine.org_id = "Org One";
  mine.test_name = "T";
  mine.scope = RiskScope::Global;
  mine.justification = "long enough reason";
  mine.accepted_at_ms = 1'771'149'600'000;
  es.store.insert(mine);
  CHECK(es.org_mapping() == json::parse(R"({"type":"keyword"})"));
  RiskAcceptanceQuery org;
  org.org_id = "Org One";
  CHECK(ids(es.store.list(org)) == std::vector<std::string>{"mine", "old"});
  org.org_id = "org";
  CHECK(ids(es.store.list(org)) == std::vector<std::string>{"old"});
}

TEST_CASE("an org_id mapped as text alone cannot be filtered exactly: a clear 400, not another org's records", "[es][risk]") {
  OriginalIndex es(R"(,"org_id":{"type":"text"})");
  es.stored("a", "acme");
  RiskAcceptanceQuery acme;
  acme.org_id = "acme";
  try {
    es.store.list(acme);
    FAIL("no exception");
  } catch (const BackendRejected& e) {
    CHECK(std::string(e.what()).find("org_id") != std::string::npos);
  }
  CHECK(es.store.list({}).size() == 1);  // lists not scoped to an org still work
}

TEST_CASE("ids that look like path segments stay ids", "[es][risk]") {
  OriginalIndex es("");
  CHECK_FALSE(es.store.find("..").has_value());
  CHECK_FALSE(es.store.find(".").has_value());
  CHECK_FALSE(es.store.revoke("..", 1, "u", "U", "no longer accepted"));
  for (const auto& r : es.cluster.requests())
    if (r.method == "GET" && r.target.find("_doc") != std::string::npos) CHECK(r.target.find("/_doc/%2E") != std::string::npos);
}

TEST_CASE("an index deleted under us is prepared again, mapping included, before the next write", "[es][risk]") {
  OriginalIndex es("");
  RiskAcceptance first;
  first.acceptance_id = "first";
  first.test_name = "T";
  first.accepted_at_ms = 1'771'149'600'000;
  es.store.insert(first);
  REQUIRE(es.raw.request(beast_http::verb::delete_, "/achilles-risk-acceptances", "", "").status == 200);
  CHECK(es.store.list({}).empty());  // the search finds no index: nothing is accepted
  RiskAcceptance second = first;
  second.acceptance_id = "second";
  second.org_id = "org-1";
  es.store.insert(second);
  CHECK(es.org_mapping() == json::parse(R"({"type":"keyword"})"));
  CHECK(ids(es.store.list({})) == std::vector<std::string>{"second"});
}
