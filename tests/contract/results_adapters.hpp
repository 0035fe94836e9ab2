#pragma once
// The ResultsIndex adapters the contract suite runs on. Each fixture gives
// index(), sink() and archive() over a store of its own, empty at start.
//   InMemory, EmbeddedSqlite: the embedded engine.
//   ElasticsearchThroughFake: the Elasticsearch adapter over HTTP against the
//     fake cluster of tests/fakes, which evaluates the DSL it is sent.
//   ElasticsearchLive (live_contract_tests only): a real cluster at
//     ACHILLES_TEST_ES_URL, in a temporary index with the canonical mapping.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <unistd.h>

#include <boost/json.hpp>

#include "support/loopback_policy.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"
#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/embedded_results_index.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
#include "fakes/fake_elasticsearch.hpp"

namespace achilles::contract {

inline int next_fixture_number() {
  static std::atomic<int> n{0};
  return n++;
}

struct InMemory {
  embedded::ColumnStore store;
  ResultsIndex& index() { return store; }
  ResultsSink& sink() { return store; }
  ResultsArchive& archive() { return store; }
  DetectionMarks& marks() { return store; }
};

struct EmbeddedSqlite {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("achilles-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number()));
  std::unique_ptr<embedded::EmbeddedResultsIndex> engine;
  EmbeddedSqlite() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    engine = std::make_unique<embedded::EmbeddedResultsIndex>(dir / "results.db");
  }
  ~EmbeddedSqlite() {
    engine.reset();
    std::filesystem::remove_all(dir);
  }
  ResultsIndex& index() { return *engine; }
  ResultsSink& sink() { return *engine; }
  ResultsArchive& archive() { return *engine; }
  DetectionMarks& marks() { return *engine; }
};

// A temporary results index on a cluster, created with the canonical mapping
// and one shard (ties then keep insertion order, as the embedded engine's
// do), removed with its archive at the end.
class TemporaryResultsIndex {
public:
  explicit TemporaryResultsIndex(elasticsearch::EsConnection connection)
      : name_("achilles-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number())) {
    auto transport = std::make_shared<elasticsearch::HttpTransport>(std::move(connection));
    engine_ = std::make_unique<elasticsearch::ElasticsearchResultsIndex>(
        transport, elasticsearch::ResultIndices{name_, name_, "none"});
    boost::json::value body = elasticsearch::results_index_body();
    body.as_object()["settings"] = boost::json::object{{"number_of_shards", 1}, {"number_of_replicas", 0}};
    if (!engine_->cluster().create_index(name_, body)) throw std::runtime_error("cannot create " + name_);
  }
  ~TemporaryResultsIndex() {
    for (const auto& index : {name_, elasticsearch::archive_index_for(name_)})
      try {
        engine_->cluster().send("DELETE", "/" + index, "", elasticsearch::Idempotent::Yes);
      } catch (...) {
      }
  }
  elasticsearch::ElasticsearchResultsIndex& engine() { return *engine_; }

private:
  std::string name_;
  std::unique_ptr<elasticsearch::ElasticsearchResultsIndex> engine_;
};

inline elasticsearch::EsConnection connection_to(std::string url) {
  elasticsearch::EsConnection c;
  c.base_url = std::move(url);
  c.timeout = std::chrono::seconds(30);
  c.policy = testing::loopback_policy();
  return c;
}

struct ElasticsearchThroughFake {
  testing::FakeElasticsearch cluster;
  TemporaryResultsIndex results{connection_to(cluster.url())};
  ResultsIndex& index() { return results.engine(); }
  ResultsSink& sink() { return results.engine(); }
  ResultsArchive& archive() { return results.engine(); }
  DetectionMarks& marks() { return results.engine(); }
};

// ACHILLES_TEST_ES_URL, with ACHILLES_TEST_ES_API_KEY or
// ACHILLES_TEST_ES_USERNAME/PASSWORD, and ACHILLES_TEST_ES_SKIP_VERIFY=1.
inline elasticsearch::EsConnection live_connection() {
  const char* url = std::getenv("ACHILLES_TEST_ES_URL");
  if (!url || !*url) throw std::runtime_error("ACHILLES_TEST_ES_URL is not set");
  AnalyticsSettings s;
  s.connection_type = "direct";
  s.node = url;
  if (const char* key = std::getenv("ACHILLES_TEST_ES_API_KEY")) s.api_key = key;
  if (const char* user = std::getenv("ACHILLES_TEST_ES_USERNAME")) s.username = user;
  if (const char* password = std::getenv("ACHILLES_TEST_ES_PASSWORD")) s.password = password;
  if (const char* skip = std::getenv("ACHILLES_TEST_ES_SKIP_VERIFY")) s.tls_insecure_skip_verify = std::string(skip) == "1";
  auto c = elasticsearch::connection_for(s);
  c.policy = testing::policy_from_environment();
  return c;
}

struct ElasticsearchLive {
  TemporaryResultsIndex results{live_connection()};
  ResultsIndex& index() { return results.engine(); }
  ResultsSink& sink() { return results.engine(); }
  ResultsArchive& archive() { return results.engine(); }
  DetectionMarks& marks() { return results.engine(); }
};

// The RiskAcceptances adapters the risk contract suite runs on; port() is
// empty at start.
struct RiskAcceptancesInMemory {
  mocks::InMemoryRiskAcceptances store;
  RiskAcceptances& port() { return store; }
};

struct RiskAcceptancesInSqlite {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("achilles-risk-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number()));
  std::filesystem::path path = (std::filesystem::remove_all(dir), std::filesystem::create_directories(dir), dir / "results.db");
  std::unique_ptr<embedded::SqliteRiskAcceptances> store = std::make_unique<embedded::SqliteRiskAcceptances>(path);
  RiskAcceptances& port() { return *store; }
  void reopen() {
    store.reset();
    store = std::make_unique<embedded::SqliteRiskAcceptances>(path);
  }
  ~RiskAcceptancesInSqlite() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

// Risk acceptances on a cluster, in an index of the fixture's own, removed at the end.
class TemporaryRiskAcceptances {
public:
  explicit TemporaryRiskAcceptances(elasticsearch::EsConnection connection)
      : transport_(std::make_shared<elasticsearch::HttpTransport>(std::move(connection))),
        store_(transport_, "achilles-risk-acceptances-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number())) {}
  ~TemporaryRiskAcceptances() {
    try {
      cluster().send("DELETE", "/" + store_.index(), "", elasticsearch::Idempotent::Yes);
    } catch (...) {
    }
  }
  RiskAcceptances& port() { return store_; }
  elasticsearch::EsCluster cluster() const { return elasticsearch::EsCluster(transport_); }

private:
  std::shared_ptr<elasticsearch::EsTransport> transport_;
  elasticsearch::ElasticsearchRiskAcceptances store_;
};

struct RiskAcceptancesThroughFake {
  testing::FakeElasticsearch cluster;
  TemporaryRiskAcceptances records{connection_to(cluster.url())};
  RiskAcceptances& port() { return records.port(); }
};

struct RiskAcceptancesLive {
  TemporaryRiskAcceptances records{live_connection()};
  RiskAcceptances& port() { return records.port(); }
};

// Defender documents on a cluster, in an index of the fixture's own, removed at the end.
struct TemporaryDefenderIndex {
  explicit TemporaryDefenderIndex(elasticsearch::EsConnection connection)
      : transport(std::make_shared<elasticsearch::HttpTransport>(std::move(connection))),
        index("achilles-defender-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number())),
        store(transport, index) {}
  ~TemporaryDefenderIndex() {
    try {
      elasticsearch::EsCluster(transport).send("DELETE", "/" + index, "", elasticsearch::Idempotent::Yes);
    } catch (...) {
    }
  }
  std::shared_ptr<elasticsearch::EsTransport> transport;
  std::string index;
  elasticsearch::ElasticsearchDefenderStore store;
};

struct DefenderInSqlite {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("achilles-defender-contract-" + std::to_string(::getpid()) + "-" + std::to_string(next_fixture_number()));
  std::filesystem::path path = (std::filesystem::remove_all(dir), std::filesystem::create_directories(dir), dir / "results.db");
  embedded::SqliteDefenderStore store{path};
  ~DefenderInSqlite() { std::filesystem::remove_all(dir); }
};

struct DefenderThroughFake {
  testing::FakeElasticsearch cluster;
  TemporaryDefenderIndex temporary{connection_to(cluster.url())};
  elasticsearch::ElasticsearchDefenderStore& store = temporary.store;
};

struct DefenderLive {
  TemporaryDefenderIndex temporary{live_connection()};
  elasticsearch::ElasticsearchDefenderStore& store = temporary.store;
};

}  // namespace achilles::contract

#ifdef ACHILLES_LIVE_ELASTICSEARCH
#define DEFENDER_STORES achilles::contract::DefenderLive
#else
#define DEFENDER_STORES achilles::contract::DefenderInSqlite, achilles::contract::DefenderThroughFake
#endif

#ifdef ACHILLES_LIVE_ELASTICSEARCH
#define RESULTS_ADAPTERS achilles::contract::ElasticsearchLive
#define RISK_ACCEPTANCE_ADAPTERS achilles::contract::RiskAcceptancesLive
#else
#define RESULTS_ADAPTERS achilles::contract::InMemory, achilles::contract::EmbeddedSqlite, \
                         achilles::contract::ElasticsearchThroughFake
#define RISK_ACCEPTANCE_ADAPTERS achilles::contract::RiskAcceptancesInMemory, achilles::contract::RiskAcceptancesInSqlite, \
                                 achilles::contract::RiskAcceptancesThroughFake
#endif
