#include "app/analytics_app.hpp"

#include "achilles/errors.hpp"
#include "api/index_routes.hpp"
#include "api/risk_acceptance_routes.hpp"
#include "api/settings_routes.hpp"
#include "results/results_backend.hpp"

namespace achilles::server {

AnalyticsApp::AnalyticsApp(ResultsBackend embedded, const IdentityVerifier& identity, const Clock& clock,
                           AnalyticsSettingsFile& settings, AnalyticsAppOptions options)
    : embedded_(std::move(embedded)),
      options_(std::move(options)),
      live_(backend_for(settings.read().settings, embedded_, options_.allowed_networks)),
      risk_(live_, clock) {
  ApiDependencies deps{identity, live_, live_, clock};
  deps.exclusions = [this](const std::string& org) { return risk_.exclusions_for(org); };
  deps.extra_routes = risk_acceptance_routes(risk_);
  // A settings change builds its backend first; only one that could be built is switched to (D16).
  auto prepare = [this](const AnalyticsSettings& next) -> std::function<void()> {
    auto backend = backend_for(next, embedded_, options_.allowed_networks);
    if (!backend.problem.empty()) throw InvalidArgument(backend.problem);
    return [this, backend = std::move(backend)]() mutable {
      live_.use(std::move(backend));
      options_.announce(live_.current()->name);
    };
  };
  for (auto& route : settings_routes(settings, options_.allowed_networks, prepare)) deps.extra_routes.push_back(std::move(route));
  for (auto& route : index_routes(live_)) deps.extra_routes.push_back(std::move(route));
  deps.cors_origin = options_.cors_origin;
  deps.access_log = options_.access_log;
  api_ = std::make_unique<Api>(deps);
}

AnalyticsApp::~AnalyticsApp() = default;

HttpResponse AnalyticsApp::handle(const HttpRequest& request) const {
  LiveResults::RequestPin one_store_per_request(live_);
  return api_->handle(request);
}

}  // namespace achilles::server
