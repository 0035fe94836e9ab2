#include "api/settings_routes.hpp"

#include "achilles/log/log.hpp"

#include <boost/json.hpp>
#include <mutex>

#include "achilles/query/query_params.hpp"

#include "achilles/errors.hpp"
#include "api/json_body.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

// The body's fields with their types checked; validation is the caller's.
AnalyticsSettingsUpdate update_from(const json::object& body) {
  AnalyticsSettingsUpdate u;
  std::vector<ValidationIssue> issues;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (!it->value().is_string()) {
      issues.push_back({std::string(key), "Invalid input: expected string"});
      return std::nullopt;
    }
    return std::string(it->value().get_string());
  };
  u.connection_type = text("connectionType").value_or("");
  u.cloud_id = text("cloudId");
  u.api_key = text("apiKey");
  u.node = text("node");
  u.username = text("username");
  u.password = text("password");
  u.index_pattern = text("indexPattern");
  u.write_index_prefix = text("writeIndexPrefix");
  u.write_index_rollover = text("writeIndexRollover");
  u.ca_cert = text("caCert");
  if (auto it = body.find("tlsInsecureSkipVerify"); it != body.end()) {
    if (it->value().is_bool()) u.tls_insecure_skip_verify = it->value().get_bool();
    else issues.push_back({"tlsInsecureSkipVerify", "Invalid input: expected boolean"});
  }
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
  return u;
}

// POST /settings/test: connect with the body merged over the stored settings
// and report the cluster's version. Failures are answers (200, success
// false), as in the original; only a malformed body is a 400. The route needs
// analytics:settings:write: it makes the server connect where the caller says.
JsonReply test_connection(const RouteCall& c, const AnalyticsSettingsFile& file, const IndexService& indices) {
  AnalyticsSettingsUpdate update = update_from(json_object_body(c.request));
  const AnalyticsSettings existing = file.read().settings;
  if (update.connection_type.empty()) update.connection_type = existing.connection_type;
  validate(update);
  const auto outcome = indices.test(merged(existing, update));
  if (outcome.success) return json::object{{"success", true}, {"version", outcome.version}};
  return json::object{{"success", false}, {"error", outcome.error}};
}

}  // namespace

std::vector<IpNetwork> allowed_networks_from(std::string_view csv) {
  std::vector<IpNetwork> out;
  for (const auto& item : split_list(csv)) {
    auto network = IpNetwork::parse(item);
    if (!network) throw std::invalid_argument("ACHILLES_ALLOWED_NETWORKS: not a network: " + item);
    out.push_back(*network);
  }
  return out;
}

std::vector<Route> settings_routes(AnalyticsSettingsFile& file, std::shared_ptr<const IndexService> indices,
                                   PrepareBackend prepare) {
  std::vector<Route> r;
  r.push_back({"GET", "/api/analytics/settings", {Permission::AnalyticsSettingsRead}, [&file](const RouteCall&) -> JsonReply {
                 const SettingsRead read = file.read();
                 const AnalyticsSettings& s = read.settings;
                 json::object o{{"configured", s.configured},
                                {"connectionType", s.connection_type},
                                {"indexPattern", s.index_pattern},
                                {"writeIndexPrefix", s.write_index_prefix},
                                {"writeIndexRollover", s.write_index_rollover}};
                 if (!s.cloud_id.empty()) o["cloudId"] = "***";
                 if (s.node) o["node"] = node_shown(*s.node);  // credentials in the URL are a secret too
                 if (!s.ca_cert.empty()) o["caCert"] = "***";
                 o["tlsInsecureSkipVerify"] = s.tls_insecure_skip_verify;
                 if (read.problem) o["settingsFileError"] = *read.problem;  // never hidden (D13)
                 return o;
               }});
  // Saves one at a time: read, merge, write and switch as one step, so two
  // saves cannot leave the file on one cluster and the server on the other.
  auto saving = std::make_shared<std::mutex>();
  r.push_back({"POST", "/api/analytics/settings", {Permission::AnalyticsSettingsWrite},
               [&file, prepare, saving](const RouteCall& c) -> JsonReply {
                 const auto update = update_from(json_object_body(c.request));
                 validate(update);
                 std::lock_guard one_save_at_a_time(*saving);
                 const AnalyticsSettings next = merged(file.read().settings, update);
                 validate_usable(next);
                 std::function<void()> switch_to_it;
                 try {
                   switch_to_it = prepare(next);
                 } catch (const InvalidArgument& e) {
                   const std::string field = next.connection_type == "cloud" ? "cloudId" : "node";
                   throw ValidationFailed(std::vector<ValidationIssue>{{field, e.what()}});
                 }
                 std::optional<std::filesystem::path> moved;
                 try {
                   moved = file.save(next);
                 } catch (const CipherError& e) {
                   return {500, json::object{{"success", false}, {"error", e.what()}}};
                 }
                 json::object o{{"success", true}};
                 switch_to_it();
                 if (moved) {
                   o["previousFileMovedTo"] = moved->filename().string();  // beside analytics.json; no absolute path
                   log_event(LogLevel::Warn, "settings", "unreadable settings file moved aside",
                             {{"file", moved->filename().string()}});
                 }
                 return o;
               }});
  r.push_back({"DELETE", "/api/analytics/settings", {Permission::AnalyticsSettingsWrite},
               [&file, prepare, saving](const RouteCall&) -> JsonReply {
                 std::lock_guard one_save_at_a_time(*saving);
                 const bool removed = file.remove();
                 const SettingsRead now = file.read();
                 std::string serving = now.settings.configured ? "elasticsearch" : "embedded";
                 try {
                   prepare(now.settings)();
                 } catch (const std::exception&) {
                   // ELASTICSEARCH_* that cannot serve: the embedded store serves until they are fixed.
                   prepare(AnalyticsSettings{})();
                   serving = "embedded";
                 }
                 return json::object{{"success", true}, {"removed", removed}, {"source", now.source}, {"backend", serving}};
               }});
  r.push_back({"POST", "/api/analytics/settings/test", {Permission::AnalyticsSettingsWrite},
               [&file, indices](const RouteCall& c) { return test_connection(c, file, *indices); }});
  return r;
}

}  // namespace achilles::server
