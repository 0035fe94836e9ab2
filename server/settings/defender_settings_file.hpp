#pragma once
#include <filesystem>
#include <functional>
#include <mutex>

#include <boost/json/object.hpp>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_settings_store.hpp"
#include "achilles/ports/secret_cipher.hpp"

namespace achilles::server {

// DIR/integrations.json in the original's shape (defender-spec §3.3): the
// top-level `defender` entry with tenant, client, secret, thumbprint and key
// sealed as enc:iv:tag:ct, 2-space JSON, mode 0600, written atomically; every
// other key (azure, alerts, orgs, …) kept as it is. Beside it the DEFENDER_*
// variables. Preferences saved while the environment holds the credentials
// go to `defender_preferences`, never into a credential entry (REC-7). A
// file that cannot be read is reported and, on the next save, moved aside
// rather than overwritten (D13).
class DefenderSettingsFile final : public DefenderSettingsStore {
public:
  using Environment = std::function<const char*(const char*)>;
  DefenderSettingsFile(std::filesystem::path path, const SecretCipher& cipher, const Clock& clock, Environment environment);

  StoredDefenderSettings read() const override;
  void save_credentials(const DefenderCredentialsUpdate& update) override;
  void save_preferences(const std::optional<std::string>& label, const std::optional<std::string>& auto_resolve_mode) override;
  void save_auto_resolve(const std::string& mode, const std::optional<std::string>& since) override;
  bool remove_credentials() override;

private:
  // Changes the preferences where they live (the credential entry, or
  // defender_preferences), then writes the file atomically.
  void edit_preferences(const std::function<void(boost::json::object&)>& edit);
  std::filesystem::path path_;
  const SecretCipher& cipher_;
  const Clock& clock_;
  Environment environment_;
  mutable std::mutex mutex_;
};

// DEFENDER_TENANT_ID, DEFENDER_CLIENT_ID, and DEFENDER_CERT_THUMBPRINT +
// DEFENDER_PRIVATE_KEY_PEM (certificate) or DEFENDER_CLIENT_SECRET.
std::optional<DefenderCredentials> defender_credentials_from(const DefenderSettingsFile::Environment& environment);

}  // namespace achilles::server
