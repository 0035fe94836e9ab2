#pragma once
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/secret_cipher.hpp"

namespace achilles::server {

// What reading the settings gave: the effective settings, and why the file
// was not used when it exists but cannot be read (reported, never hidden).
struct SettingsRead {
  AnalyticsSettings settings;
  std::string source;                  // "file", "environment" or "defaults"
  std::optional<std::string> problem;  // the file exists but is unreadable
};

// DIR/analytics.json in the original's format (2-space JSON, its key order,
// cloudId/apiKey/password sealed as enc:iv:tag:ct), so files move between
// the original and us. Resolution as the original: a configured file, else
// ELASTICSEARCH_* environment variables, else defaults (D13: writes are
// atomic and 0600; an unreadable file is moved aside, never overwritten).
class AnalyticsSettingsFile {
public:
  AnalyticsSettingsFile(std::filesystem::path path, const SecretCipher& cipher, const Clock& clock);

  SettingsRead read() const;
  // Returns where an unreadable previous file was moved, if it was.
  std::optional<std::filesystem::path> save(const AnalyticsSettings& settings);
  // Deletes the saved settings; false when there were none.
  bool remove();

  std::string to_file_json(const AnalyticsSettings& settings) const;

private:
  std::filesystem::path path_;
  const SecretCipher& cipher_;
  const Clock& clock_;
  mutable std::mutex mutex_;
};

AnalyticsSettings settings_from_environment(bool& present);

}  // namespace achilles::server
