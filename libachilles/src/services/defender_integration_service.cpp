#include "achilles/services/defender_integration_service.hpp"

#include <cctype>

#include "achilles/errors.hpp"

namespace achilles {
namespace {

std::optional<DefenderCredentials> in_effect(const StoredDefenderSettings& s) {
  if (s.saved) return s.saved->complete() ? s.saved : std::nullopt;  // a configured entry wins, complete or not
  return s.environment;
}

// The original's loose check: 36 characters of hex digits and dashes.
bool looks_like_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

const std::string& first_non_empty(const std::optional<std::string>& sent, const std::string& stored) {
  return sent && !sent->empty() ? *sent : stored;
}

}  // namespace

std::string masked(const std::string& value) { return value.size() > 4 ? "****" + value.substr(value.size() - 4) : "****"; }

std::optional<DefenderCredentials> DefenderIntegrationService::credentials() const { return in_effect(settings_.read()); }

DefenderIntegrationView DefenderIntegrationService::view() const {
  const auto s = settings_.read();
  DefenderIntegrationView v;
  v.problem = s.problem;
  v.env_configured = s.environment.has_value();
  const auto c = in_effect(s);
  if (!c) return v;
  v.configured = true;
  v.tenant_id = masked(c->tenant_id);
  v.client_id = masked(c->client_id);
  v.auth_method = std::string(method_name(c->method));
  v.client_secret_set = c->method == DefenderCredentials::Method::ClientSecret && !c->client_secret.empty();
  v.cert_thumbprint_set = c->method == DefenderCredentials::Method::Certificate && !c->cert_thumbprint.empty();
  v.label = s.label;
  return v;
}

void DefenderIntegrationService::save(const DefenderCredentialsUpdate& u) {
  if (u.auth_method && !method_from(*u.auth_method))
    throw ValidationFailed(std::vector<ValidationIssue>{{"auth_method", "Invalid option: expected one of \"client_secret\"|\"certificate\""}});
  if (!credentials()) {
    auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
    if (!given(u.tenant_id) || !given(u.client_id)) throw InvalidArgument("tenant_id and client_id are required for initial setup");
    if (u.auth_method.value_or("client_secret") == "certificate") {
      if (!given(u.cert_thumbprint) || !given(u.private_key_pem))
        throw InvalidArgument("cert_thumbprint and private_key_pem are required for certificate auth");
    } else if (!given(u.client_secret)) {
      throw InvalidArgument("client_secret is required for initial setup with client secret auth");
    }
  }
  const auto s = settings_.read();
  if (!s.saved && s.environment && !u.tenant_id && !u.client_id && !u.client_secret && !u.auth_method &&
      !u.cert_thumbprint && !u.private_key_pem) {
    // Only the label, with the environment's credentials: a preference, not
    // a credential entry that would hide them (REC-7).
    settings_.save_preferences(u.label, std::nullopt);
    return;
  }
  settings_.save_credentials(u);
}

void DefenderIntegrationService::remove() {
  if (settings_.read().environment)
    throw InvalidArgument(
        "Cannot disconnect: Defender credentials are set via environment variables (DEFENDER_TENANT_ID, "
        "DEFENDER_CLIENT_ID, DEFENDER_CLIENT_SECRET). Remove these env vars to disconnect.");
  settings_.remove_credentials();
}

DefenderTestOutcome DefenderIntegrationService::test(const DefenderCredentialsUpdate& sent) const {
  const auto s = settings_.read();
  const std::optional<DefenderCredentials> stored = s.saved ? s.saved : s.environment;
  const DefenderCredentials none;
  const DefenderCredentials& base = stored ? *stored : none;
  DefenderCredentials c;
  c.tenant_id = first_non_empty(sent.tenant_id, base.tenant_id);
  c.client_id = first_non_empty(sent.client_id, base.client_id);
  if (c.tenant_id.empty() || c.client_id.empty()) return {false, "Missing credentials: tenant_id and client_id are required"};
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"tenant_id", &c.tenant_id}, {"client_id", &c.client_id}})
    if (!looks_like_uuid(*value))
      return {false, std::string(name) + " does not look like a valid UUID (expected format: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"};
  auto method = sent.auth_method ? method_from(*sent.auth_method) : std::nullopt;
  if (sent.auth_method && !method)
    throw ValidationFailed(std::vector<ValidationIssue>{{"auth_method", "Invalid option: expected one of \"client_secret\"|\"certificate\""}});
  c.method = method.value_or(stored ? stored->method : DefenderCredentials::Method::ClientSecret);
  const bool stored_same_method = stored && stored->method == c.method;
  if (c.method == DefenderCredentials::Method::Certificate) {
    c.cert_thumbprint = first_non_empty(sent.cert_thumbprint, stored_same_method ? base.cert_thumbprint : std::string());
    c.private_key_pem = first_non_empty(sent.private_key_pem, stored_same_method ? base.private_key_pem : std::string());
    if (c.cert_thumbprint.empty() || c.private_key_pem.empty())
      return {false, "Missing certificate credentials: cert_thumbprint and private_key_pem are required"};
  } else {
    c.client_secret = first_non_empty(sent.client_secret, stored_same_method ? base.client_secret : std::string());
    if (c.client_secret.empty()) return {false, "Missing credentials: client_secret is required for client secret auth"};
  }
  try {
    graph_.acquire_token(c);
  } catch (const GraphFailure& e) {
    std::string message = e.what();
    // The original's wording: "Authentication failed: <reason>" / "Connection failed: <reason>".
    constexpr std::string_view kToken = "Token acquisition failed: ";
    if (message.starts_with(kToken)) message = message.substr(kToken.size());
    if (message.starts_with("Failed to build certificate assertion") || message.starts_with("Connection failed: "))
      return {false, message};
    return {false, "Authentication failed: " + message};
  } catch (const std::exception& e) {  // anything else on the way: said, never a 500
    return {false, std::string("Connection failed: ") + e.what()};
  }
  try {
    graph_.check_read(c);
  } catch (const std::exception& e) {
    std::string reason = e.what();
    constexpr std::string_view kGraph = "Graph API request failed: ";
    if (reason.starts_with(kGraph)) reason = reason.substr(kGraph.size());
    return {false, "Authenticated, but Microsoft Graph refused to read alerts: " + reason +
                       " (grant the application permissions SecurityAlert.Read.All and SecurityEvents.Read.All, with admin consent)"};
  }
  return {true, "Successfully acquired token from Microsoft Graph \u2014 credentials are valid"};
}

}  // namespace achilles
