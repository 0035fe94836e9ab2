#include "api/analytics_routes.hpp"

#include <boost/json.hpp>
#include <memory>

#include "achilles/errors.hpp"
#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/services/archive_service.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "achilles/services/catalog_service.hpp"
#include "achilles/services/coverage_service.hpp"
#include "achilles/services/defense_score_service.hpp"
#include "achilles/services/executions_service.hpp"
#include "achilles/services/trend_service.hpp"
#include "api/json_body.hpp"
#include "codec/analytics_json.hpp"

namespace achilles::server {
namespace {

constexpr Permission kRead = Permission::AnalyticsDashboardsRead;

Route get(std::string path, std::function<JsonReply(const RouteCall&)> handler) {
  return {"GET", "/api/analytics" + std::move(path), {kRead}, std::move(handler)};
}

std::vector<std::string> group_keys_of(const boost::json::object& body) {
  auto it = body.find("groupKeys");
  if (it == body.end() || !it->value().is_array())
    throw ValidationFailed(std::vector<ValidationIssue>{
        {"groupKeys", it == body.end() ? "Invalid input: expected array, received undefined"
                                       : "Invalid input: expected array"}});
  std::vector<std::string> keys;
  std::vector<ValidationIssue> issues;
  const auto& array = it->value().get_array();
  // The size first: a body of a million elements is refused before any is looked at.
  if (array.size() > kMaxArchiveKeys)
    throw ValidationFailed(std::vector<ValidationIssue>{{"groupKeys", "Maximum 500 group keys per request"}});
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (array[i].is_string())
      keys.emplace_back(array[i].get_string());
    else
      issues.push_back({"groupKeys." + std::to_string(i), "Invalid input: expected string"});
  }
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
  return keys;
}

// D11: a request whose every key was refused did nothing, and says so.
JsonReply archive_reply(const ArchiveOutcome& outcome, bool all_refused) {
  boost::json::object body = archive_json(outcome);
  if (!all_refused) return body;
  body["success"] = false;
  body["error"] = "No group key could be archived";
  return {400, std::move(body)};
}

}  // namespace

std::vector<Route> analytics_routes(const AnalyticsContext& ctx, ResultsArchive& archive) {
  auto score = std::make_shared<DefenseScoreService>(ctx);
  auto trend = std::make_shared<TrendService>(ctx);
  auto breakdown = std::make_shared<BreakdownService>(ctx);
  auto executions = std::make_shared<ExecutionsService>(ctx);
  auto coverage = std::make_shared<CoverageService>(ctx);
  auto catalog = std::make_shared<CatalogService>(ctx);
  auto archiver = std::make_shared<ArchiveService>(archive, ctx.clock);
  const Clock& clock = ctx.clock;

  // Each route reads its query string into its typed request, at one instant.
  auto filtered = [&clock](const RouteCall& c) { return filtered_request(c.query, clock.now_ms()); };
  auto top = [&clock](const RouteCall& c, LimitDefaults limit) { return top_request(c.query, clock.now_ms(), limit); };
  auto trend_of = [&clock](const RouteCall& c) { return trend_request(c.query, clock.now_ms()); };
  auto page_of = [&clock](const RouteCall& c) { return execution_page_request(c.query, clock.now_ms()); };

  std::vector<Route> r;
  r.push_back(get("/defense-score", [=](const RouteCall& c) -> JsonReply {
    return defense_score_json(score->score(filtered(c), c.caller));
  }));
  r.push_back(get("/defense-score/trend", [=](const RouteCall& c) -> JsonReply {
    return trend_json(trend->defense_score_trend(trend_of(c), c.caller));
  }));
  r.push_back(get("/defense-score/by-test", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_test(top(c, {10, 50}), c.caller), ScoreRowShape::Named);
  }));
  r.push_back(get("/defense-score/by-technique", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_technique(filtered(c), c.caller), ScoreRowShape::Named);
  }));
  r.push_back(get("/defense-score/by-severity", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_severity(filtered(c), c.caller), ScoreRowShape::Severity);
  }));
  r.push_back(get("/defense-score/by-category", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_category(filtered(c), c.caller), ScoreRowShape::Category);
  }));
  r.push_back(get("/defense-score/by-category-subcategory", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_category_subcategory(filtered(c), c.caller), ScoreRowShape::CategoryWithSubcategories);
  }));
  r.push_back(get("/defense-score/by-hostname", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_hostname(top(c, {50, 50}), c.caller), ScoreRowShape::Hostname);
  }));
  r.push_back(get("/defense-score/by-org", [=](const RouteCall& c) -> JsonReply {
    return score_rows_json(breakdown->by_org(filtered(c), c.caller), ScoreRowShape::Org);
  }));
  r.push_back(get("/threat-actor-coverage", [=](const RouteCall& c) -> JsonReply {
    return threat_actor_coverage_json(breakdown->threat_actor_coverage(filtered(c), c.caller));
  }));

  r.push_back(get("/executions", [=, &clock](const RouteCall& c) -> JsonReply {
    return recent_executions_json(executions->recent(recent_executions_request(c.query, clock.now_ms()), c.caller));
  }));
  r.push_back(get("/executions/paginated", [=](const RouteCall& c) -> JsonReply {
    if (param_value(c.query, "grouped") == "true") return execution_run_page_json(executions->grouped(page_of(c), c.caller));
    return execution_page_json(executions->paginated(page_of(c), c.caller));
  }));

  r.push_back(get("/results-by-error-type", [=](const RouteCall& c) -> JsonReply {
    return error_types_json(coverage->results_by_error_type(filtered(c), c.caller));
  }));
  r.push_back(get("/test-coverage", [=](const RouteCall& c) -> JsonReply {
    return coverage_json(coverage->test_coverage(filtered(c), c.caller), "name");
  }));
  r.push_back(get("/technique-distribution", [=](const RouteCall& c) -> JsonReply {
    return coverage_json(coverage->technique_distribution(filtered(c), c.caller), "technique");
  }));
  r.push_back(get("/host-test-matrix", [=](const RouteCall& c) -> JsonReply {
    return host_test_matrix_json(coverage->host_test_matrix(filtered(c), c.caller));
  }));
  r.push_back(get("/error-rate", [=](const RouteCall& c) -> JsonReply {
    return error_rate_json(trend->error_rate(filtered(c), c.caller));
  }));
  r.push_back(get("/error-rate/trend", [=](const RouteCall& c) -> JsonReply {
    return error_rate_trend_json(trend->error_rate_trend(trend_of(c), c.caller));
  }));

  r.push_back(get("/unique-hostnames", [=](const RouteCall& c) -> JsonReply {
    return boost::json::object{{"count", catalog->unique_hostnames(filtered(c), c.caller)}};
  }));
  r.push_back(get("/unique-tests", [=](const RouteCall& c) -> JsonReply {
    return boost::json::object{{"count", catalog->unique_tests(filtered(c), c.caller)}};
  }));
  r.push_back(get("/canonical-test-count", [=, &clock](const RouteCall& c) -> JsonReply {
    return canonical_test_count_json(catalog->canonical_test_count(canonical_test_count_request(c.query, clock.now_ms()), c.caller));
  }));
  r.push_back(get("/organizations", [=](const RouteCall& c) -> JsonReply {
    return organizations_json(catalog->organizations(c.caller));
  }));
  r.push_back(get("/available-tests", [=](const RouteCall& c) -> JsonReply {
    return strings_json(catalog->available_tests(c.caller));
  }));
  r.push_back(get("/available-techniques", [=](const RouteCall& c) -> JsonReply {
    return strings_json(catalog->available_techniques(c.caller));
  }));
  r.push_back(get("/executed-test-uuids", [=](const RouteCall& c) -> JsonReply {
    return boost::json::object{{"success", true}, {"uuids", strings_json(catalog->executed_test_uuids(c.caller))}};
  }));
  const std::pair<const char*, OptionList> option_lists[] = {
      {"/available-hostnames", OptionList::Hostnames},     {"/available-categories", OptionList::Categories},
      {"/available-severities", OptionList::Severities},   {"/available-threat-actors", OptionList::ThreatActors},
      {"/available-tags", OptionList::Tags},               {"/available-error-names", OptionList::ErrorNames},
      {"/available-error-codes", OptionList::ErrorCodes},  {"/available-bundle-names", OptionList::BundleNames}};
  for (const auto& [path, list] : option_lists)
    r.push_back(get(path, [=, list = list](const RouteCall& c) -> JsonReply {
      return filter_options_json(catalog->options(list, filtered(c), c.caller));
    }));

  r.push_back({"POST", "/api/analytics/executions/archive", {kRead, Permission::AnalyticsExecutionsArchive},
               [=](const RouteCall& c) -> JsonReply {
                 const auto keys = group_keys_of(json_object_body(c.request));
                 const auto outcome = archiver->archive_runs(keys, c.caller);
                 return archive_reply(outcome, outcome.archived == 0 && outcome.errors.size() == keys.size());
               }});
  r.push_back({"POST", "/api/analytics/executions/archive-by-date", {kRead, Permission::AnalyticsExecutionsArchive},
               [=](const RouteCall& c) -> JsonReply {
                 const auto body = json_object_body(c.request);
                 auto it = body.find("before");
                 if (it == body.end() || !it->value().is_string())
                   throw ValidationFailed(std::vector<ValidationIssue>{{"before", "Must be a valid ISO date string"}});
                 return archive_json(archiver->archive_before(std::string(it->value().get_string()), c.caller));
               }});
  return r;
}

}  // namespace achilles::server
