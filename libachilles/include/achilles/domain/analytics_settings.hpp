#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace achilles {

// Where the results are read from unless the settings say otherwise.
inline constexpr std::string_view kDefaultIndexPattern = "achilles-results-*";

// Where analytics reads results from (analytics-spec §3.9.1). Unconfigured:
// the embedded store serves (D7). Secrets (cloudId, apiKey, password) are
// encrypted at rest by the store, never returned by the API.
struct AnalyticsSettings {
  std::string connection_type = "cloud";
  std::string cloud_id;
  std::string api_key;
  std::optional<std::string> node;
  std::string username;
  std::string password;
  std::string index_pattern{kDefaultIndexPattern};
  std::string write_index_prefix = "achilles-results-";
  std::string write_index_rollover = "none";
  bool configured = false;
  std::string ca_cert;
  bool tls_insecure_skip_verify = false;
  bool operator==(const AnalyticsSettings&) const = default;
};

// A POST /settings body: absent fields are nullopt; blank strings keep the
// stored value (§3.9.3).
struct AnalyticsSettingsUpdate {
  std::string connection_type;
  std::optional<std::string> cloud_id, api_key, node, username, password, index_pattern;
  std::optional<std::string> write_index_prefix, write_index_rollover, ca_cert;
  std::optional<bool> tls_insecure_skip_verify;
};

// Validates an update (ValidationFailed with the original's messages).
void validate(const AnalyticsSettingsUpdate& update);

// Settings that can serve (D16): a known connectionType with what it needs
// (cloud: a cloudId; direct: an http(s) node). ValidationFailed naming the
// field otherwise, so an unusable configuration is never saved.
void validate_usable(const AnalyticsSettings& settings);

// The node URL with any user:password@ of its authority replaced by ***@,
// for showing it back (GET /settings).
std::string node_shown(const std::string& node);

// The merge of §3.9.3: a mode switch drops the previous mode's credentials;
// otherwise blank or absent fields keep what was stored.
AnalyticsSettings merged(const AnalyticsSettings& existing, const AnalyticsSettingsUpdate& update);

}  // namespace achilles
