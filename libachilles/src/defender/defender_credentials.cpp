#include "achilles/domain/defender_credentials.hpp"

#include <functional>

namespace achilles {

bool DefenderCredentials::complete() const {
  if (tenant_id.empty() || client_id.empty()) return false;
  if (method == Method::Certificate) return !cert_thumbprint.empty() && !private_key_pem.empty();
  return !client_secret.empty();
}

std::string DefenderCredentials::cache_key() const {
  // A hash of everything that can change the token; collisions only cost a fresh token.
  const std::string material = std::string(method_name(method)) + '\n' + tenant_id + '\n' + client_id + '\n' +
                               client_secret + '\n' + cert_thumbprint + '\n' + private_key_pem;
  return tenant_id + "/" + client_id + "/" + std::to_string(std::hash<std::string>{}(material));
}

std::string_view method_name(DefenderCredentials::Method method) {
  return method == DefenderCredentials::Method::Certificate ? "certificate" : "client_secret";
}

std::optional<DefenderCredentials::Method> method_from(std::string_view name) {
  if (name == "client_secret") return DefenderCredentials::Method::ClientSecret;
  if (name == "certificate") return DefenderCredentials::Method::Certificate;
  return std::nullopt;
}

}  // namespace achilles
