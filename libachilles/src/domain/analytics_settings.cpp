#include "achilles/domain/analytics_settings.hpp"

#include <algorithm>
#include <cctype>

#include "achilles/errors.hpp"
#include "achilles/security/outbound_url.hpp"
#include "achilles/text/trimmed.hpp"

namespace achilles {
namespace {

bool valid_prefix(const std::string& p) {
  if (p.empty() || p.size() > 200) return false;
  auto ok = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); };
  if (!ok(p[0])) return false;
  return std::all_of(p.begin(), p.end(), [&](char c) { return ok(c) || c == '.' || c == '_' || c == '-'; });
}

}  // namespace

void validate(const AnalyticsSettingsUpdate& u) {
  std::vector<ValidationIssue> issues;
  if (u.connection_type.empty()) issues.push_back({"connectionType", "Connection type is required"});
  if (u.write_index_prefix && !valid_prefix(trimmed(*u.write_index_prefix)))
    issues.push_back({"writeIndexPrefix",
                      "writeIndexPrefix must be lowercase and contain only letters, digits, dots, hyphens, or "
                      "underscores (no wildcards)"});
  if (u.write_index_rollover && *u.write_index_rollover != "none" && *u.write_index_rollover != "daily" &&
      *u.write_index_rollover != "monthly")
    issues.push_back({"writeIndexRollover", "Invalid option: expected one of \"none\"|\"daily\"|\"monthly\""});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
}

void validate_usable(const AnalyticsSettings& s) {
  std::vector<ValidationIssue> issues;
  if (s.connection_type != "cloud" && s.connection_type != "direct") {
    issues.push_back({"connectionType", "Invalid option: expected one of \"cloud\"|\"direct\""});
  } else if (s.connection_type == "cloud" && s.cloud_id.empty()) {
    issues.push_back({"cloudId", "cloudId is required for a cloud connection"});
  } else if (s.connection_type == "direct") {
    const std::string node = s.node.value_or("");
    const auto scheme = node.find("://");
    const std::string scheme_text = scheme == std::string::npos ? "" : node.substr(0, scheme);
    if (node.empty()) issues.push_back({"node", "node is required for a direct connection"});
    else if ((scheme_text != "http" && scheme_text != "https") || node.size() == scheme + 3)
      issues.push_back({"node", "node must be an http:// or https:// URL"});
  }
  if (!issues.empty()) throw ValidationFailed(std::move(issues));
}

std::string node_shown(const std::string& node) { return url_without_credentials(node, "***@"); }

AnalyticsSettings merged(const AnalyticsSettings& e, const AnalyticsSettingsUpdate& u) {
  const bool mode_switch = e.configured && !e.connection_type.empty() && u.connection_type != e.connection_type;
  // Stored credentials belong to the endpoint they were saved for: an update
  // that names another node or cloud id must bring its own, or the server
  // would send the stored key to wherever the caller points it.
  const bool endpoint_change = (u.node && !u.node->empty() && *u.node != e.node.value_or("")) ||
                               (u.cloud_id && !u.cloud_id->empty() && *u.cloud_id != e.cloud_id);
  auto pick = [&](const std::optional<std::string>& given, const std::string& previous) {
    if (given && !given->empty()) return *given;
    return mode_switch ? std::string() : previous;
  };
  auto pick_secret = [&](const std::optional<std::string>& given, const std::string& previous) {
    if (given && !given->empty()) return *given;
    return mode_switch || endpoint_change ? std::string() : previous;
  };
  AnalyticsSettings s;
  s.connection_type = u.connection_type;
  s.cloud_id = pick(u.cloud_id, e.cloud_id);
  s.api_key = pick_secret(u.api_key, e.api_key);
  s.node = pick(u.node, e.node.value_or(""));
  s.username = pick_secret(u.username, e.username);
  s.password = pick_secret(u.password, e.password);
  s.index_pattern = u.index_pattern && !u.index_pattern->empty() ? *u.index_pattern
                    : !e.index_pattern.empty()                   ? e.index_pattern
                                                                 : std::string(kDefaultIndexPattern);
  s.write_index_prefix = u.write_index_prefix ? trimmed(*u.write_index_prefix) : e.write_index_prefix;
  s.write_index_rollover = u.write_index_rollover.value_or(e.write_index_rollover);
  s.configured = true;
  s.ca_cert = pick(u.ca_cert, e.ca_cert);
  s.tls_insecure_skip_verify = u.tls_insecure_skip_verify ? *u.tls_insecure_skip_verify
                               : mode_switch              ? false
                                                          : e.tls_insecure_skip_verify;
  return s;
}

}  // namespace achilles
