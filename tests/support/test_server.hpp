#pragma once
#include <memory>

#include "mocks/manual_clock.hpp"
#include "achilles/embedded/column_store.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "app/analytics_app.hpp"
#include "app/backends.hpp"
#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "settings/analytics_settings_file.hpp"
#include "support/process.hpp"
#include "fakes/static_token_table.hpp"
#include "achilles/embedded/sqlite_api_keys.hpp"
#include "achilles/local_token/openssl_api_key_mint.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/graph/graph_client.hpp"
#include "achilles/graph/openssl_pfx_reader.hpp"
#include "achilles/http/outbound_client.hpp"
#include "settings/defender_settings_file.hpp"
#include "http/http_server.hpp"
#include "support/http_client.hpp"

namespace achilles::testing {

// The real API and HTTP server on an ephemeral 127.0.0.1 port, over the
// in-memory engine, with a fixed clock and a table of known tokens:
//   admin-token (admin), explorer-token (explorer), org-token (analyst of org-1),
//   keyless-token (no permissions at all), operator-token (operator), org2-op-token (operator of org-2),
//   org1-admin-token and org2-admin-token (admins bound to org-1 and org-2);
// and API keys, made through /api/api-keys.
class TestServer {
public:
  static constexpr std::int64_t kNow = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z

  // `allowed_networks`: private ranges the outbound guard admits (tests of
  // the Elasticsearch adapter allow 127.0.0.0/8 to reach the fake cluster).
  // The rate limits are off unless a test asks for them: suites send many
  // requests from one address.
  // `graph_url`: where Microsoft Graph and its token endpoint are (a FakeGraph).
  explicit TestServer(std::vector<IpNetwork> allowed_networks = {}, server::RateLimitPolicy limits = no_limits(),
                      std::string graph_url = "https://graph.invalid", bool access_log = false)
      : clock_(kNow),
        graph_outbound_(OutboundPolicy(allowed_networks)),
        graph_(graph_outbound_, graph::GraphEndpoints{graph_url, graph_url}, clock_,
               graph::GraphRetries{3, std::chrono::seconds(5), std::chrono::seconds(60), [](std::chrono::seconds) {}}) {
    tokens_.add("admin-token", Principal::with_role("u-admin", Role::Admin));
    tokens_.add("explorer-token", Principal::with_role("u-explorer", Role::Explorer));
    tokens_.add("org-token", Principal::with_role("u-org", Role::Analyst, "org-1"));
    tokens_.add("keyless-token", Principal{"u-none", std::nullopt, "", PermissionSet{}});
    tokens_.add("operator-token", Principal::with_role("u-op", Role::Operator));
    tokens_.add("org2-op-token", Principal::with_role("u-op2", Role::Operator, "org-2"));
    tokens_.add("org1-admin-token", Principal::with_role("u-admin1", Role::Admin, "org-1"));
    tokens_.add("org2-admin-token", Principal::with_role("u-admin2", Role::Admin, "org-2"));
    server::AnalyticsAppOptions app_options;
    app_options.allowed_networks = std::move(allowed_networks);
    app_options.access_log = access_log;
    app_options.api_key_mint = &mint_;
    app_options.rate_limits = std::move(limits);
    app_options.defender_settings = &defender_settings_;
    app_options.defender_graph = &graph_;
    app_options.pfx_reader = &pfx_reader_;
    app_ = std::make_unique<server::AnalyticsApp>(server::embedded_backend(store_, acceptances_, &api_keys_, &defender_store_), tokens_, clock_,
                                                  settings_, std::move(app_options));
    server::HttpServerOptions options;
    options.port = 0;
    options.threads = 2;
    http_ = std::make_unique<server::HttpServer>(
        options, [this](const server::HttpRequest& r) { return app_->handle(r); },
        [this](const server::HttpRequest& head) { return app_->admit(head); });
    http_->start();
  }
  ~TestServer() {
    http_->stop();
    http_->wait();
  }

  void load(std::vector<ResultDocument> docs) { store_.append(docs); }
  std::vector<server::Api::RouteSummary> routes() const { return app_->routes(); }
  void set_now(std::int64_t ms) { clock_.set(ms); }
  static server::RateLimitPolicy no_limits() {
    server::RateLimitPolicy off;
    off.enabled = false;
    return off;
  }
  HttpClient client() const { return HttpClient(http_->port()); }
  std::string backend_name() const { return app_->backend()->name; }
  unsigned short port() const { return http_->port(); }

private:
  ManualClock clock_;
  StaticTokenTable tokens_;
  embedded::ColumnStore store_;
  mocks::InMemoryRiskAcceptances acceptances_;
  TempDir dir_;
  crypto_store::AesGcmCipher cipher_{"projectachilles-test-secret-0123456789"};
  server::AnalyticsSettingsFile settings_{dir_ / "analytics.json", cipher_, clock_};
  embedded::SqliteApiKeys api_keys_{dir_ / "results.db"};
  local_token::OpenSslApiKeyMint mint_;
  server::DefenderSettingsFile defender_settings_{dir_ / "integrations.json", cipher_, clock_,
                                                  [](const char*) -> const char* { return nullptr; }};
  http::OutboundClient graph_outbound_;
  graph::GraphClient graph_;
  graph::OpenSslPfxReader pfx_reader_;
  embedded::SqliteDefenderStore defender_store_{dir_ / "results.db"};

public:
  DefenderStore& defender_store() { return defender_store_; }
  server::AnalyticsApp& app() { return *app_; }

private:

public:
  const std::filesystem::path& data_dir() const { return dir_.path(); }

private:
  std::unique_ptr<server::AnalyticsApp> app_;
  std::unique_ptr<server::HttpServer> http_;
};

}  // namespace achilles::testing
