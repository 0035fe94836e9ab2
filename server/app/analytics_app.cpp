#include "app/analytics_app.hpp"

#include "achilles/elasticsearch/elasticsearch_cluster_administration.hpp"
#include "achilles/errors.hpp"
#include "api/api_key_routes.hpp"
#include "api/defender_analytics_routes.hpp"
#include "api/defender_auto_resolve_routes.hpp"
#include "api/defender_integration_routes.hpp"
#include "api/index_routes.hpp"
#include "api/risk_acceptance_routes.hpp"
#include "api/settings_routes.hpp"
#include "achilles/auth/first_verified_identity.hpp"
#include "app/backends.hpp"
#include "results/live_api_keys.hpp"
#include "results/live_defender_store.hpp"

namespace achilles::server {

AnalyticsApp::AnalyticsApp(ResultsBackend embedded, const IdentityVerifier& identity, const Clock& clock,
                           AnalyticsSettingsFile& settings, AnalyticsAppOptions options)
    : embedded_(std::move(embedded)),
      clock_(clock),
      options_(std::move(options)),
      live_(backend_for(settings.read().settings, embedded_, options_.allowed_networks)),
      risk_(live_, clock) {
  // Who may call: `identity`, then API keys of the serving backend, then the rest.
  std::vector<const IdentityVerifier*> identities{&identity};
  if (options_.api_key_mint) {
    api_keys_ = std::make_unique<LiveApiKeys>(live_);
    api_key_service_ = std::make_unique<ApiKeyService>(*api_keys_, *options_.api_key_mint, clock);
    api_key_verifier_ = std::make_unique<ApiKeyVerifier>(*api_keys_, *options_.api_key_mint, clock);
    identities.push_back(api_key_verifier_.get());
  }
  identities.insert(identities.end(), options_.later_identities.begin(), options_.later_identities.end());
  identity_ = std::make_unique<FirstVerifiedIdentity>(std::move(identities));
  ApiDependencies deps{*identity_, live_, live_, clock};
  deps.exclusions = [this](const std::string& org) { return risk_.exclusions_for(org); };
  deps.extra_routes = risk_acceptance_routes(risk_);
  // A settings change is checked against the outbound policy (a direct node's
  // name is resolved now, for a clear refusal; every connection is checked
  // again) and builds its backend first; only one that could be built is
  // switched to (D16).
  auto prepare = [this](const AnalyticsSettings& next) -> std::function<void()> {
    if (next.configured && next.connection_type == "direct" && next.node)
      if (auto refused = refused_cluster_url(*next.node, options_.allowed_networks)) throw InvalidArgument(*refused);
    auto backend = backend_for(next, embedded_, options_.allowed_networks);
    if (!backend.problem.empty()) throw InvalidArgument(backend.problem);
    return [this, backend = std::move(backend)]() mutable {
      live_.use(std::move(backend));
      options_.announce(live_.current()->name);
    };
  };
  // /settings/test connects with candidate settings: short timeouts, the same policy.
  connector_ = std::make_unique<elasticsearch::ElasticsearchConnector>(OutboundPolicy(options_.allowed_networks),
                                                                       std::chrono::seconds(5), std::chrono::seconds(10));
  auto indices = std::make_shared<IndexService>(live_, *connector_);
  for (auto& route : settings_routes(settings, indices, prepare)) deps.extra_routes.push_back(std::move(route));
  for (auto& route : index_routes(indices)) deps.extra_routes.push_back(std::move(route));
  if (options_.defender_settings && options_.defender_graph) {
    defender_store_ = std::make_unique<LiveDefenderStore>(live_);
    defender_ = std::make_unique<DefenderIntegrationService>(*options_.defender_settings, *options_.defender_graph);
    defender_sync_ = std::make_unique<DefenderSyncService>(
        *options_.defender_graph, *defender_store_, [this] { return defender_->credentials(); }, clock);
    for (auto& route : defender_integration_routes(*defender_, *defender_sync_, options_.pfx_reader))
      deps.extra_routes.push_back(std::move(route));
    const auto steady_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    defender_enrichment_ = std::make_unique<DefenderEnrichmentService>(live_, *defender_store_, clock, steady_ms);
    defender_sync_->after_alerts([this] { return defender_enrichment_->run(); });
    defender_auto_resolve_ = std::make_unique<DefenderAutoResolveService>(
        *defender_store_, *options_.defender_graph, *options_.defender_settings, [this] { return defender_->credentials(); },
        clock, steady_ms);
    defender_sync_->after_enrichment([this] { return defender_auto_resolve_->run(); });
    for (auto& route : defender_auto_resolve_routes(*defender_auto_resolve_)) deps.extra_routes.push_back(std::move(route));
    defender_analytics_ = std::make_unique<DefenderAnalyticsService>(*defender_store_, live_, clock,
                                                                     [this] { return defender_configured(); });
    for (auto& route : defender_analytics_routes(*defender_analytics_)) deps.extra_routes.push_back(std::move(route));
  }
  if (api_key_service_)
    for (auto& route : api_key_routes(*api_key_service_)) deps.extra_routes.push_back(std::move(route));
  deps.cors_origin = options_.cors_origin;
  deps.access_log = options_.access_log;
  deps.rate_limits = options_.rate_limits;
  deps.check_ready = [this] { live_.version(); };  // the embedded store, or the cluster, answers
  api_ = std::make_unique<Api>(deps);
}

AnalyticsApp::~AnalyticsApp() = default;

bool AnalyticsApp::hold_defender_lease(const std::string& owner, std::int64_t ttl_ms) const {
  if (!defender_store_) return false;
  try {
    return defender_store_->hold_sync_lease(owner, clock_.now_ms(), ttl_ms);
  } catch (const std::exception&) {
    return false;  // a cluster that does not answer: no sync from here this round
  }
}

HttpResponse AnalyticsApp::handle(const HttpRequest& request) const {
  LiveResults::RequestPin one_store_per_request(live_);
  return api_->handle(request);
}

}  // namespace achilles::server
