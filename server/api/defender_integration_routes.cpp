#include "api/defender_integration_routes.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "api/json_body.hpp"
#include "codec/defender_json.hpp"
#include "http/multipart_form.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

constexpr Permission kRead = Permission::IntegrationsRead;
constexpr Permission kWrite = Permission::IntegrationsWrite;

// The original's snake_case keys; the camelCase its wiki shows is read too.
DefenderCredentialsUpdate update_of(const json::object& body, bool with_label) {
  std::vector<ValidationIssue> issues;
  auto field = [&](const char* snake, const char* camel) -> std::optional<std::string> {
    for (const char* key : {snake, camel}) {
      auto it = body.find(key);
      if (it == body.end()) continue;
      if (it->value().is_string()) return std::string(it->value().get_string());
      issues.push_back({snake, "Invalid input: expected string"});
      return std::nullopt;
    }
    return std::nullopt;
  };
  DefenderCredentialsUpdate u;
  u.tenant_id = field("tenant_id", "tenantId");
  u.client_id = field("client_id", "clientId");
  u.client_secret = field("client_secret", "clientSecret");
  u.auth_method = field("auth_method", "authMethod");
  u.cert_thumbprint = field("cert_thumbprint", "certThumbprint");
  u.private_key_pem = field("private_key_pem", "privateKeyPem");
  if (with_label) u.label = field("label", "label");
  if (u.auth_method && *u.auth_method != "client_secret" && *u.auth_method != "certificate")
    issues.push_back({"auth_method", "Invalid option: expected one of \"client_secret\"|\"certificate\""});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
  return u;
}

}  // namespace

std::vector<Route> defender_integration_routes(DefenderIntegrationService& integration, DefenderSyncService& sync,
                                               const PfxReader* pfx) {
  const std::string base = "/api/integrations/defender";
  std::vector<Route> r;
  r.push_back({"GET", base, {kRead}, [&integration](const RouteCall&) -> JsonReply {
                 return defender_view_json(integration.view());
               }});
  r.push_back({"POST", base, {kWrite}, [&integration](const RouteCall& c) -> JsonReply {
                 integration.save(update_of(json_object_body(c.request), true));
                 return json::object{{"success", true}};
               }});
  r.push_back({"DELETE", base, {kWrite}, [&integration](const RouteCall&) -> JsonReply {
                 integration.remove();
                 return json::object{{"success", true}};
               }});
  r.push_back({"POST", base + "/test", {kWrite}, [&integration](const RouteCall& c) -> JsonReply {
                 const auto outcome = integration.test(update_of(json_object_body(c.request), false));
                 if (outcome.success) return json::object{{"success", true}, {"message", outcome.text}};
                 return json::object{{"success", false}, {"error", outcome.text}};  // 200, as the original
               }});
  r.push_back({"POST", base + "/sync", {kWrite}, [&sync](const RouteCall&) -> JsonReply {
                 return json::object{{"success", true}, {"data", defender_sync_result_json(sync.sync_all())}};
               }});
  r.push_back({"GET", base + "/sync/status", {kRead}, [&sync](const RouteCall&) -> JsonReply {
                 return defender_sync_status_json(sync.status());
               }});
  if (pfx)
    // A certificate onboarded from its PFX: nothing is kept; the page then
    // tests and saves the thumbprint and key. Unreadable files are 400s (REC-15).
    r.push_back({"POST", base + "/parse-pfx", {kWrite}, [pfx](const RouteCall& c) -> JsonReply {
                   const auto form = parse_multipart_form(c.request.content_type, c.request.body);
                   const auto file = form ? form->find("pfx") : decltype(form->find("pfx")){};
                   if (!form || file == form->end() || file->second.content.empty())
                     throw InvalidArgument("pfx file is required");
                   const auto passphrase = form->find("passphrase");
                   const auto read = pfx->read(file->second.content, passphrase == form->end() ? "" : passphrase->second.content);
                   return json::object{{"success", true},
                                       {"data", json::object{{"thumbprint", read.thumbprint},
                                                             {"private_key_pem", read.private_key_pem},
                                                             {"subject_cn", read.subject_cn},
                                                             {"not_after", read.not_after}}}};
                 }});
  return r;
}

}  // namespace achilles::server
