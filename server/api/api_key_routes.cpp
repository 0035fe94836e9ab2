#include "api/api_key_routes.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "api/json_body.hpp"
#include "codec/api_key_json.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

constexpr Permission kManage = Permission::SettingsUsersManage;

// A string field as sent; any other JSON type is refused naming the field.
std::optional<std::string> text_field(const json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (!it->value().is_string())
    throw ValidationFailed(std::vector<ValidationIssue>{{std::string(key), "Invalid input: expected string"}});
  return std::string(it->value().get_string());
}

}  // namespace

std::vector<Route> api_key_routes(ApiKeyService& service) {
  std::vector<Route> r;
  r.push_back({"POST", "/api/api-keys", {kManage}, [&service](const RouteCall& c) -> JsonReply {
                 const auto body = json_object_body(c.request);
                 CreateApiKeyRequest request{text_field(body, "name"), text_field(body, "scope"),
                                             text_field(body, "expires_at")};
                 const auto created = service.create(request, c.caller);
                 json::object data = api_key_json(created.key);
                 data["key"] = created.plaintext;
                 return {201, json::object{{"success", true}, {"data", std::move(data)}}};
               }});
  r.push_back({"GET", "/api/api-keys", {kManage}, [&service](const RouteCall& c) -> JsonReply {
                 json::array data;
                 for (const auto& key : service.list(c.caller)) data.push_back(api_key_json(key));
                 return json::object{{"success", true}, {"data", std::move(data)}};
               }});
  r.push_back({"DELETE", "/api/api-keys/:id", {kManage}, [&service](const RouteCall& c) -> JsonReply {
                 service.revoke(c.param("id"), c.caller);
                 return json::object{{"success", true}};
               }});
  return r;
}

}  // namespace achilles::server
