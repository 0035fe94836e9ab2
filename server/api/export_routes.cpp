#include "api/export_routes.hpp"

#include <memory>

#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "codec/attack_navigator_layer.hpp"
#include "json/js_json.hpp"

namespace achilles::server {

std::vector<Route> export_routes(const AnalyticsContext& context) {
  auto breakdown = std::make_shared<BreakdownService>(context);
  const Clock& clock = context.clock;
  std::vector<Route> r;
  r.push_back({"GET", "/api/analytics/export/attack-navigator", {Permission::AnalyticsDashboardsRead}, nullptr,
               [breakdown, &clock](const RouteCall& c) {
                 const std::int64_t now = clock.now_ms();
                 const auto techniques = breakdown->every_technique(filtered_request(c.query, now), c.caller);
                 const auto query = c.request.target.find('?');
                 const std::string filters = query == std::string::npos ? "" : c.request.target.substr(query + 1);
                 HttpResponse response{200, to_json(attack_navigator_layer(techniques, filters, format_iso_millis(now))), {}};
                 response.headers.emplace_back("Content-Disposition",
                                               "attachment; filename=\"achilles-attack-navigator-layer.json\"");
                 return response;
               }});
  return r;
}

}  // namespace achilles::server
