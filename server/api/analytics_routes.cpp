#include "api/analytics_routes.hpp"

#include <boost/json.hpp>
#include <memory>

#include "achilles/services/defense_score_service.hpp"
#include "codec/analytics_json.hpp"

namespace achilles::server {

std::vector<Route> analytics_routes(const ResultsIndex& results, const Clock& clock) {
  auto defense_score = std::make_shared<DefenseScoreService>(results, clock);
  std::vector<Route> routes;
  routes.push_back({"GET", "/api/analytics/defense-score", {Permission::AnalyticsDashboardsRead},
                    [defense_score, &clock](const RouteCall& call) -> JsonReply {
                      const FilterParams params = parse_filter_params(call.query, clock.now_ms());
                      return defense_score_json(defense_score->score(params, call.caller));
                    }});
  return routes;
}

}  // namespace achilles::server
