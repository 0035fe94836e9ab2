#include "api/defender_auto_resolve_routes.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "api/json_body.hpp"
#include "codec/defender_json.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

// A whole number within [low, high], absent or empty → `fallback`, else a 400 naming it.
std::size_t bounded(const QueryParams& q, std::string_view key, std::size_t fallback, std::size_t low, std::size_t high) {
  const auto text = param_value(q, key);
  if (!text || text->empty()) return fallback;
  std::size_t value = 0;
  bool ok = text->size() <= 9;
  for (const char c : *text) ok = ok && c >= '0' && c <= '9', value = value * 10 + static_cast<std::size_t>(c - '0');
  if (!ok || value < low || value > high)
    throw InvalidArgument("Invalid '" + std::string(key) + "': expected a whole number between " + std::to_string(low) +
                          " and " + std::to_string(high));
  return value;
}

json::object receipt_json(const AutoResolveReceipt& r) {
  json::value error = nullptr;
  if (r.outcome == "not_found") error = "not_found";
  else if (r.outcome == "failed") error = r.detail;
  json::object o{{"receipt_id", r.id},
                 {"alert_id", r.alert_id},
                 {"alert_title", r.alert_title},
                 {"severity", r.severity},
                 {"auto_resolved_at", r.at},
                 {"auto_resolve_mode", r.mode},
                 {"auto_resolve_error", error},
                 {"achilles_test_uuid", r.test_uuid.empty() ? json::value(nullptr) : json::value(r.test_uuid)},
                 {"outcome", r.outcome}};
  if (!r.detail.empty()) o["detail"] = r.detail;
  return o;
}

}  // namespace

std::vector<Route> defender_auto_resolve_routes(DefenderAutoResolveService& service) {
  const std::string base = "/api/integrations/defender/auto-resolve";
  std::vector<Route> r;
  r.push_back({"GET", base + "/status", {Permission::IntegrationsRead}, [&service](const RouteCall&) -> JsonReply {
                 const auto s = service.status();
                 json::object data{{"mode", s.mode},
                                   {"counts", json::object{{"last24h", s.last_24h}, {"last7d", s.last_7d}, {"last30d", s.last_30d}}},
                                   {"lastAutoResolve", s.last_pass ? json::value(auto_resolve_pass_json(*s.last_pass))
                                                                   : json::value(nullptr)}};
                 if (s.since) data["enabledSince"] = *s.since;
                 return json::object{{"success", true}, {"data", std::move(data)}};
               }});
  r.push_back({"PUT", base + "/mode", {Permission::IntegrationsWrite}, [&service](const RouteCall& c) -> JsonReply {
                 const auto body = json_object_body(c.request);
                 const auto* mode = body.if_contains("mode");
                 const auto* backfill = body.if_contains("backfill");
                 std::vector<ValidationIssue> issues;
                 if (!mode || !mode->is_string() || !is_auto_resolve_mode(std::string(mode->get_string())))
                   issues.push_back({"mode", R"(Invalid option: expected one of "disabled"|"dry_run"|"enabled")"});
                 if (backfill && !backfill->is_bool()) issues.push_back({"backfill", "Invalid input: expected boolean"});
                 if (!issues.empty()) throw ValidationFailed(std::move(issues));
                 const std::string chosen(mode->get_string());
                 service.set_mode(chosen, backfill && backfill->get_bool());
                 return json::object{{"success", true}, {"data", json::object{{"mode", chosen}}}};
               }});
  r.push_back({"GET", base + "/receipts", {Permission::IntegrationsRead}, [&service](const RouteCall& c) -> JsonReply {
                 const std::size_t limit = bounded(c.query, "limit", 20, 1, 100);
                 const std::size_t offset = bounded(c.query, "offset", 0, 0, 1'000'000);
                 const auto page = service.receipts(limit, offset);
                 json::array items;
                 for (const auto& receipt : page.items) items.push_back(receipt_json(receipt));
                 return json::object{{"success", true},
                                     {"data", json::object{{"items", std::move(items)},
                                                           {"total", page.total},
                                                           {"limit", limit},
                                                           {"offset", offset}}}};
               }});
  return r;
}

}  // namespace achilles::server
