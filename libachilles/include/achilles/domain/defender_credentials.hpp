#pragma once
#include <optional>
#include <string>

namespace achilles {

// The app registration Achilles reads Microsoft Graph with (defender-spec
// §3.2): a client secret, or a certificate (its SHA-1 thumbprint and private
// key) for a signed client assertion.
struct DefenderCredentials {
  enum class Method { ClientSecret, Certificate };
  Method method = Method::ClientSecret;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;
  std::string cert_thumbprint;
  std::string private_key_pem;

  // Complete for its method: what "configured" means.
  bool complete() const;
  // Identifies the credential set (for a token cache) without holding a secret in clear.
  std::string cache_key() const;
};

std::string_view method_name(DefenderCredentials::Method method);  // "client_secret" | "certificate"
std::optional<DefenderCredentials::Method> method_from(std::string_view name);

}  // namespace achilles
