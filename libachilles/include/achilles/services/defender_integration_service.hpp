#pragma once
#include <optional>
#include <string>

#include "achilles/ports/defender_graph.hpp"
#include "achilles/ports/defender_settings_store.hpp"

namespace achilles {

// GET /api/integrations/defender: never a secret.
struct DefenderIntegrationView {
  bool configured = false;
  std::string tenant_id;  // masked: "****" + the last 4 characters
  std::string client_id;
  std::string auth_method = "client_secret";
  bool client_secret_set = false;
  bool cert_thumbprint_set = false;
  std::string label;
  bool env_configured = false;
  std::optional<std::string> problem;  // a settings file that cannot be read
};

// Whether test credentials could read Defender data, and what to tell the user.
struct DefenderTestOutcome {
  bool success = false;
  std::string text;  // the message on success, the error otherwise
};

// Configuring the Defender integration (defender-spec §3, §9.3) with one
// scoping model for the whole deployment (REC-6): the saved entry when it is
// configured, else the DEFENDER_* environment.
class DefenderIntegrationService {
public:
  DefenderIntegrationService(DefenderSettingsStore& settings, const DefenderGraph& graph) : settings_(settings), graph_(graph) {}

  // Complete credentials in effect, or nullopt.
  std::optional<DefenderCredentials> credentials() const;
  DefenderIntegrationView view() const;
  // Initial setup needs tenant and client ids and the method's secret
  // (InvalidArgument with the original's messages); later saves merge.
  void save(const DefenderCredentialsUpdate& update);
  // InvalidArgument "Cannot disconnect: …" while the environment configures it.
  void remove();
  // A token for the sent credentials, completed from the stored ones (§9.3).
  DefenderTestOutcome test(const DefenderCredentialsUpdate& sent) const;

private:
  DefenderSettingsStore& settings_;
  const DefenderGraph& graph_;
};

// "****" + the last four characters (or "****").
std::string masked(const std::string& value);

}  // namespace achilles
