#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"
#include "achilles/ports/pfx_reader.hpp"
#include "achilles/security/outbound_url.hpp"
#include "achilles/services/api_key_service.hpp"
#include "achilles/services/defender_analytics_service.hpp"
#include "achilles/services/defender_integration_service.hpp"
#include "achilles/services/defender_sync_service.hpp"
#include "achilles/services/risk_acceptance_service.hpp"
#include "api/api.hpp"
#include "results/live_results.hpp"
#include "settings/analytics_settings_file.hpp"

namespace achilles::server {

struct AnalyticsAppOptions {
  std::vector<IpNetwork> allowed_networks;  // ACHILLES_ALLOWED_NETWORKS
  std::string cors_origin = "http://localhost:5173";
  bool access_log = true;
  RateLimitPolicy rate_limits = {};  // the original's (platform-spec §2.5)
  // API keys (/api/api-keys, and `pa_` credentials tried after `identity`)
  // when set: kept by the serving backend (ResultsBackend::api_keys).
  const ApiKeyMint* api_key_mint = nullptr;
  // Tried after API keys: the original deployment's agents.db keys.
  std::vector<const IdentityVerifier*> later_identities;
  // The Defender integration, when both are given (owned by the caller); its
  // data lives where the results are served from (ResultsBackend::defender).
  DefenderSettingsStore* defender_settings = nullptr;
  const DefenderGraph* defender_graph = nullptr;
  const PfxReader* pfx_reader = nullptr;  // POST /api/integrations/defender/parse-pfx
  // Told when the backend changes (the server prints it; tests need not).
  std::function<void(const std::string&)> announce = [](const std::string&) {};
};

// The composition root: from the embedded store (results, archive and risk
// acceptances, owned by the caller), the identity verifier, the clock and
// the settings file, it builds the live backend (Elasticsearch when the
// settings say so, D7), the use cases and every route, once. `achilles
// serve` and the test server both build one, so a new backend or port is
// wired here only.
class AnalyticsApp {
public:
  AnalyticsApp(ResultsBackend embedded, const IdentityVerifier& identity, const Clock& clock,
               AnalyticsSettingsFile& settings, AnalyticsAppOptions options);
  ~AnalyticsApp();
  AnalyticsApp(const AnalyticsApp&) = delete;
  AnalyticsApp& operator=(const AnalyticsApp&) = delete;

  // One request, on the backend that serves when it starts.
  HttpResponse handle(const HttpRequest& request) const;
  // The admission check of the HTTP server: authentication before a body is read.
  std::optional<HttpResponse> admit(const HttpRequest& head) const { return api_->admit(head); }
  std::vector<Api::RouteSummary> routes() const { return api_->routes(); }
  std::shared_ptr<const ResultsBackend> backend() const { return live_.current(); }
  // The Defender sync, for the scheduler; null without the integration.
  DefenderSyncService* defender_sync() const { return defender_sync_.get(); }
  bool defender_configured() const { return defender_ && defender_->credentials().has_value(); }
  // The background sync's lease for `owner` (see DefenderStore::hold_sync_lease); false when it cannot be asked.
  bool hold_defender_lease(const std::string& owner, std::int64_t ttl_ms) const;

private:
  ResultsBackend embedded_;
  const Clock& clock_;
  AnalyticsAppOptions options_;
  LiveResults live_;
  RiskAcceptanceService risk_;
  std::unique_ptr<ClusterConnector> connector_;
  std::unique_ptr<ApiKeys> api_keys_;
  std::unique_ptr<ApiKeyService> api_key_service_;
  std::unique_ptr<ApiKeyVerifier> api_key_verifier_;
  std::unique_ptr<IdentityVerifier> identity_;
  std::unique_ptr<DefenderStore> defender_store_;
  std::unique_ptr<DefenderIntegrationService> defender_;
  std::unique_ptr<DefenderSyncService> defender_sync_;
  std::unique_ptr<DefenderEnrichmentService> defender_enrichment_;
  std::unique_ptr<DefenderAutoResolveService> defender_auto_resolve_;
  std::unique_ptr<DefenderAnalyticsService> defender_analytics_;
  std::unique_ptr<Api> api_;
};

}  // namespace achilles::server
