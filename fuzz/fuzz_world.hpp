#pragma once
// The whole application as the fuzz targets drive it: the composition root
// over the embedded in-memory store, a settings file and risk acceptances in
// a private temporary directory, and two tokens ("admin", "org").
#include <unistd.h>

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/demo/demo_defender.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
#include "achilles/graph/graph_client.hpp"
#include "achilles/http/outbound_client.hpp"
#include "settings/defender_settings_file.hpp"
#include "app/analytics_app.hpp"
#include "dashboard/dashboard_assets.hpp"
#include "app/backends.hpp"

namespace achilles::fuzz {

class FuzzIdentity final : public IdentityVerifier {
public:
  std::optional<Principal> verify(std::string_view token) const override {
    if (token == "admin") return Principal::with_role("fuzz-admin", Role::Admin);
    if (token == "org") return Principal::with_role("fuzz-org", Role::Analyst, "org-1");
    return std::nullopt;
  }
};

struct FuzzWorld {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("achilles-fuzz-" + std::to_string(::getpid()));
  SystemClock clock;
  FuzzIdentity identity;
  embedded::ColumnStore store;
  std::unique_ptr<embedded::SqliteRiskAcceptances> acceptances;
  crypto_store::AesGcmCipher cipher{"fuzz-secret-0123456789abcdef0123456789"};
  std::unique_ptr<server::AnalyticsSettingsFile> settings;
  // Defender: demo data in the store, no credentials, a Graph nobody reaches
  // (the fuzzed routes read the local copy only).
  std::unique_ptr<embedded::SqliteDefenderStore> defender;
  std::unique_ptr<server::DefenderSettingsFile> defender_settings;
  http::OutboundClient graph_outbound{OutboundPolicy(std::vector<IpNetwork>{})};
  std::unique_ptr<graph::GraphClient> graph;
  std::unique_ptr<server::AnalyticsApp> app;

  FuzzWorld() {
    std::filesystem::create_directories(dir);
    acceptances = std::make_unique<embedded::SqliteRiskAcceptances>(dir / "results.db");
    settings = std::make_unique<server::AnalyticsSettingsFile>(dir / "analytics.json", cipher, clock);
    defender = std::make_unique<embedded::SqliteDefenderStore>(dir / "results.db");
    const auto demo = generate_demo_defender({2000, 7, 30, clock.now_ms()});
    defender->put_secure_scores(demo.secure_scores);
    defender->replace_control_profiles(demo.control_profiles);
    defender->upsert_alerts(demo.alerts);
    generate_demo_results({2000, 7, 30, clock.now_ms()}, [this](const ResultDocument& d) { store.append(std::vector<ResultDocument>{d}); });
    defender_settings = std::make_unique<server::DefenderSettingsFile>(dir / "integrations.json", cipher, clock,
                                                                       [](const char*) -> const char* { return nullptr; });
    graph = std::make_unique<graph::GraphClient>(graph_outbound, graph::GraphEndpoints{"https://graph.invalid", "https://login.invalid"},
                                                 clock);
    server::AnalyticsAppOptions options;
    options.defender_settings = defender_settings.get();
    options.defender_graph = graph.get();
    options.access_log = false;
    options.rate_limits.enabled = false;  // a limit's 429 would stop the fuzzer reaching the routes
    app = std::make_unique<server::AnalyticsApp>(server::embedded_backend(store, *acceptances, nullptr, defender.get()), identity, clock,
                                                 *settings, options);
  }

  // Back to the embedded store: a saved cluster would make the next inputs
  // wait on the network, which is not what is fuzzed here.
  void forget_settings() {
    server::HttpRequest reset;
    reset.method = "DELETE";
    reset.target = "/api/analytics/settings";
    reset.authorization = "Bearer admin";
    reset.remote_address = "127.0.0.1";
    (void)app->handle(reset);
  }
};

// The type an answer declares; JSON when it declares none.
inline std::string_view declared_type(const server::HttpResponse& response) {
  for (const auto& [name, value] : response.headers)
    if (boost::beast::iequals(name, "Content-Type")) return value;
  return "application/json";
}

// What every answer must be: no 500, and a body of valid UTF-8 JSON, but
// for the few that declare another type: the dashboard's own files
// (byte for byte one of them), the metrics' text, a CSV export.
inline void check_answer(const server::HttpResponse& response) {
  if (response.status >= 500 && response.status != 503) __builtin_trap();
  const std::string_view type = declared_type(response);
  if (!type.starts_with("application/json")) {
    if (type.starts_with("text/plain; version=0.0.4") || type.starts_with("text/csv")) return;
    for (const auto& asset : server::dashboard_assets())
      if (asset.content_type == type && asset.body == response.body) return;
    __builtin_trap();
  }
  boost::system::error_code ec;
  (void)boost::json::parse(response.body, ec);
  if (ec && !response.body.empty()) __builtin_trap();
}

}  // namespace achilles::fuzz
