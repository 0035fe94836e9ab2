#include "api/settings_routes.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <boost/json.hpp>
#include <iostream>

#include "achilles/query/query_params.hpp"

#include "achilles/errors.hpp"
#include "api/json_body.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

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
  validate(u);
  return u;
}

// Every address the URL's host resolves to; empty when it does not resolve.
std::vector<IpAddress> resolve_host(std::string_view url) {
  std::vector<IpAddress> out;
  auto parsed = OutboundUrl::parse(url);
  if (!parsed || IpAddress::parse(parsed->host)) return out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(parsed->host.c_str(), nullptr, &hints, &found) != 0) return out;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (::getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0)
      if (auto ip = IpAddress::parse(text)) out.push_back(*ip);
  }
  ::freeaddrinfo(found);
  return out;
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

std::vector<Route> settings_routes(AnalyticsSettingsFile& file, std::vector<IpNetwork> allowed) {
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
                 if (s.node) o["node"] = *s.node;
                 if (!s.ca_cert.empty()) o["caCert"] = "***";
                 o["tlsInsecureSkipVerify"] = s.tls_insecure_skip_verify;
                 if (read.problem) o["settingsFileError"] = *read.problem;  // never hidden (D13)
                 return o;
               }});
  r.push_back({"POST", "/api/analytics/settings", {Permission::AnalyticsSettingsWrite},
               [&file, allowed = std::move(allowed)](const RouteCall& c) -> JsonReply {
                 const auto update = update_from(json_object_body(c.request));
                 const AnalyticsSettings next = merged(file.read().settings, update);
                 if (next.node && !next.node->empty())
                   if (auto refused = refuse_outbound(*next.node, resolve_host(*next.node), allowed))
                     throw ValidationFailed(std::vector<ValidationIssue>{{"node", *refused}});
                 std::optional<std::filesystem::path> moved;
                 try {
                   moved = file.save(next);
                 } catch (const CipherError& e) {
                   return {500, json::object{{"success", false}, {"error", e.what()}}};
                 }
                 json::object o{{"success", true}};
                 if (moved) {
                   o["previousFileMovedTo"] = moved->string();
                   std::clog << json::serialize(json::object{{"level", "warn"}, {"component", "settings"},
                                                             {"message", "unreadable settings file moved aside"},
                                                             {"path", moved->string()}})
                             << '\n';
                 }
                 return o;
               }});
  return r;
}

}  // namespace achilles::server
