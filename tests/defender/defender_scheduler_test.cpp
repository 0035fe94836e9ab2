// The Defender sync in the background: a full sync once configured, then
// the periodic passes, nothing while unconfigured, a prompt stop, and one
// process per data dir.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>

#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/graph/graph_client.hpp"
#include "app/data_dir_lock.hpp"
#include "app/defender_scheduler.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "fakes/fake_graph.hpp"
#include "support/loopback_policy.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;
using Steady = std::chrono::steady_clock;

namespace {

struct World {
  TempDir dir;
  FakeGraph fake;
  SystemClock clock;
  http::OutboundClient outbound{loopback_policy()};
  graph::GraphClient client{outbound, {fake.url(), fake.url()}, clock,
                            graph::GraphRetries{3, std::chrono::seconds(5), std::chrono::seconds(60), [](std::chrono::seconds) {}}};
  embedded::SqliteDefenderStore store{dir / "results.db"};
  std::atomic<bool> configured{false};
  DefenderSyncService sync{client, store,
                           [] {
                             DefenderCredentials c;
                             c.tenant_id = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";
                             c.client_id = "0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70";
                             c.client_secret = "graph-client-secret~0123456789";
                             return std::optional<DefenderCredentials>(c);
                           },
                           clock};
};

bool eventually(const std::function<bool()>& condition) {
  const auto until = Steady::now() + std::chrono::seconds(10);
  while (Steady::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("the scheduler syncs in full once configured, then passes on its own, and rests when unconfigured", "[defender][scheduler]") {
  World w;
  server::DefenderScheduler scheduler(w.sync, [&w] { return w.configured.load(); },
                                      {std::chrono::milliseconds(400), std::chrono::milliseconds(100), std::chrono::milliseconds(30)});
  scheduler.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(w.fake.requests().empty());  // not configured: nothing asked

  w.configured = true;  // saved later, as from the settings page (REC-26)
  REQUIRE(eventually([&] { return w.store.alerts().size() == 3 && w.sync.status().last_sync_result.has_value(); }));
  const int alerts_after_full = w.fake.graph_calls("alerts_v2");
  REQUIRE(eventually([&] { return w.fake.graph_calls("alerts_v2") >= alerts_after_full + 4; }));  // 5-minute passes, shortened
  REQUIRE(eventually([&] { return w.fake.graph_calls("secureScores") >= 4; }));                   // 6-hour passes, shortened
  CHECK(w.sync.status().last_pass->scheduled);

  w.configured = false;  // deleted
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto calls = w.fake.requests().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(w.fake.requests().size() == calls);

  const auto before = Steady::now();
  scheduler.stop();
  CHECK(Steady::now() - before < std::chrono::seconds(2));
}

TEST_CASE("stopping cuts a Graph call under way instead of waiting out its timeout", "[defender][scheduler]") {
  World w;
  w.fake.never_end_next("secureScores");
  auto running = std::async(std::launch::async, [&] { return w.sync.sync_all(); });
  REQUIRE(eventually([&] { return w.sync.status().running; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto before = Steady::now();
  w.outbound.abort_all();
  const auto result = running.get();
  CHECK(Steady::now() - before < std::chrono::seconds(5));  // the outbound timeout is 30 s
  REQUIRE(result.scores.errors.size() == 1);
  CHECK(result.scores.errors == std::vector<std::string>{"Graph API request failed: the server is stopping"});
  CHECK(w.store.secure_scores().empty());
}

TEST_CASE("one process per data dir runs the background sync", "[defender][scheduler]") {
  TempDir dir;
  auto first = server::DataDirLock::try_take(dir / "defender-sync.lock");
  REQUIRE(first);
  CHECK_FALSE(server::DataDirLock::try_take(dir / "defender-sync.lock"));
  first.reset();
  CHECK(server::DataDirLock::try_take(dir / "defender-sync.lock"));
}

TEST_CASE("two instances on one cluster: only the lease holder syncs", "[defender][scheduler][lease]") {
  FakeGraph graph;
  FakeElasticsearch cluster;
  SystemClock clock;
  auto credentials = [] {
    DefenderCredentials c;
    c.tenant_id = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";
    c.client_id = "0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70";
    c.client_secret = "graph-client-secret~0123456789";
    return std::optional<DefenderCredentials>(c);
  };
  struct Instance {
    std::string name;
    http::OutboundClient outbound{loopback_policy()};
    std::unique_ptr<graph::GraphClient> client;
    std::unique_ptr<elasticsearch::ElasticsearchDefenderStore> store;
    std::unique_ptr<DefenderSyncService> sync;
    std::unique_ptr<server::DefenderScheduler> scheduler;
  };
  std::vector<std::unique_ptr<Instance>> instances;
  for (const char* name : {"instance-a", "instance-b"}) {
    auto i = std::make_unique<Instance>();
    i->name = name;
    i->client = std::make_unique<graph::GraphClient>(i->outbound, graph::GraphEndpoints{graph.url(), graph.url()}, clock);
    elasticsearch::EsConnection c;
    c.base_url = cluster.url();
    c.policy = loopback_policy();
    i->store = std::make_unique<elasticsearch::ElasticsearchDefenderStore>(std::make_shared<elasticsearch::HttpTransport>(c));
    i->sync = std::make_unique<DefenderSyncService>(*i->client, *i->store, credentials, clock);
    Instance* self = i.get();
    i->scheduler = std::make_unique<server::DefenderScheduler>(
        *i->sync, [] { return true; },
        server::DefenderSchedule{std::chrono::milliseconds(10'000), std::chrono::milliseconds(100), std::chrono::milliseconds(50)},
        [self, &clock] { return self->store->hold_sync_lease(self->name, clock.now_ms(), 2'000); });
    instances.push_back(std::move(i));
  }
  for (auto& i : instances) i->scheduler->start();
  REQUIRE(eventually([&] { return graph.graph_calls("alerts_v2") >= 8; }));
  for (auto& i : instances) i->scheduler->stop();
  // Every Graph call came with the token of one instance only.
  const bool a_synced = instances[0]->sync->status().last_pass.has_value();
  const bool b_synced = instances[1]->sync->status().last_pass.has_value();
  CHECK(a_synced != b_synced);
  CHECK(graph.graph_calls("secureScores?") == 2);  // one full sync: two pages, by one instance
  CHECK(cluster.document_count("achilles-defender") == 3 + 3 + 3 + 2);  // with the sync state and the lease
}
