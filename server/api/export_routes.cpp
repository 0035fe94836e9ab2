#include "api/export_routes.hpp"

#include <memory>

#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "achilles/services/executions_service.hpp"
#include "codec/executions_csv.hpp"
#include "codec/attack_navigator_layer.hpp"
#include "json/js_json.hpp"

namespace achilles::server {
namespace {
// Rows read per page of a CSV export: each page is one question to the store.
constexpr std::size_t kCsvPageRows = 5000;
}  // namespace

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
  auto executions = std::make_shared<ExecutionsService>(context);
  r.push_back({"GET", "/api/analytics/export/executions.csv", {Permission::AnalyticsDashboardsRead}, nullptr,
               [executions, &clock](const RouteCall& c) {
                 // The flat executions table's documents and order, every page
                 // of them, read a page at a time while the answer is sent.
                 ExecutionPageRequest request{filtered_request(c.query, clock.now_ms()), PageQuestion{}};
                 request.page.limit = kCsvPageRows;
                 // Checked now, so a bad filter or org is a 4xx before anything is sent.
                 auto first = executions->paginated(request, c.caller);
                 struct Export {
                   std::shared_ptr<ExecutionsService> executions;
                   ExecutionPageRequest request;
                   Principal caller;
                   std::optional<ExecutionPage> pending;
                   bool header_sent = false, done = false;
                 };
                 auto state = std::make_shared<Export>(Export{executions, request, c.caller, std::move(first)});
                 HttpResponse response{200, "", {}};
                 response.headers.emplace_back("Content-Type", "text/csv; charset=utf-8");
                 response.headers.emplace_back("Content-Disposition", "attachment; filename=\"achilles-executions.csv\"");
                 response.next_chunk = [state]() -> std::optional<std::string> {
                   if (!state->header_sent) {
                     state->header_sent = true;
                     return executions_csv_header();
                   }
                   if (state->done) return std::nullopt;
                   if (!state->pending) state->pending = state->executions->paginated(state->request, state->caller);
                   ExecutionPage page = std::move(*state->pending);
                   state->pending.reset();
                   state->request.page.offset += page.executions.size();
                   if (page.executions.size() < state->request.page.limit ||
                       state->request.page.offset >= static_cast<std::size_t>(page.pagination.total_items))
                     state->done = true;
                   if (page.executions.empty()) return std::nullopt;
                   return executions_csv_rows(page.executions);
                 };
                 return response;
               }});
  return r;
}

}  // namespace achilles::server
