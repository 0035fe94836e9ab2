#pragma once
#include <optional>
#include <string>

#include "achilles/domain/defender_credentials.hpp"

namespace achilles {

// A save of POST /api/integrations/defender: each field as sent, absent when
// not sent (defender-spec §3.5 merges field by field).
struct DefenderCredentialsUpdate {
  std::optional<std::string> tenant_id;
  std::optional<std::string> client_id;
  std::optional<std::string> client_secret;
  std::optional<std::string> auth_method;
  std::optional<std::string> cert_thumbprint;
  std::optional<std::string> private_key_pem;
  std::optional<std::string> label;
};

// The Defender credentials there are: saved ones, and those the environment sets.
struct StoredDefenderSettings {
  // The saved entry, when one says configured (complete or not).
  std::optional<DefenderCredentials> saved;
  // DEFENDER_* variables, when they form complete credentials.
  std::optional<DefenderCredentials> environment;
  std::string label;
  std::string auto_resolve_mode = "disabled";
  // Enabled without a backfill: alerts created before this ISO time are left
  // alone (unless a dry run recorded them).
  std::optional<std::string> auto_resolve_since;
  // The file exists but cannot be used (unparseable, undecryptable): said, never wiped.
  std::optional<std::string> problem;
};

// Where Defender credentials and preferences are kept: the original's
// integrations.json (secrets sealed), with DEFENDER_* variables beside it.
// Preferences (label, auto-resolve mode) are kept apart from credentials, so
// saving them never creates a credential entry that hides the environment's
// (REC-7).
class DefenderSettingsStore {
public:
  virtual ~DefenderSettingsStore() = default;
  virtual StoredDefenderSettings read() const = 0;
  virtual void save_credentials(const DefenderCredentialsUpdate& update) = 0;
  virtual void save_preferences(const std::optional<std::string>& label, const std::optional<std::string>& auto_resolve_mode) = 0;
  // The mode and its cut-off together (none: no cut-off).
  virtual void save_auto_resolve(const std::string& mode, const std::optional<std::string>& since) = 0;
  // False when nothing was saved.
  virtual bool remove_credentials() = 0;
};

}  // namespace achilles
