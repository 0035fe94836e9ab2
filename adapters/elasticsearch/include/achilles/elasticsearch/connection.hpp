#pragma once
#include <chrono>
#include <functional>
#include <string>

#include "achilles/domain/analytics_settings.hpp"

namespace achilles::elasticsearch {

// Where and how to reach the cluster (analytics-spec §3.0 "Connection").
struct EsConnection {
  std::string base_url;        // "https://host:9243", no trailing slash
  std::string authorization;   // the Authorization header value, or empty
  std::string ca_cert_pem;     // trusted CA instead of the system's, or empty
  bool skip_verify = false;    // TLS peer verification off (logged once)
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{30'000};  // whole request, connect included
  // Where the host name may be reached: curl's "host:port:address[,…]",
  // from addresses the outbound guard has just checked, so that a DNS answer
  // changed after the check cannot redirect us (rebinding). Asked again at
  // most once a minute (clusters move); it throws InvalidArgument when the
  // name now resolves somewhere refused. Unset or "": curl resolves itself.
  std::function<std::string()> address_pin;
};

// The connection of the settings: cloud mode when connectionType is "cloud"
// and a cloud id is set (ApiKey auth, TLS options ignored), else direct mode
// on `node` (ApiKey if set, else Basic when a username or password is set).
// Throws InvalidArgument("Invalid Elasticsearch configuration") otherwise,
// and for a cloud id that does not decode.
EsConnection connection_for(const AnalyticsSettings& settings);

// `label:base64(domain[:port]$esId$kibanaId)` → `https://<esId>.<domain>[:port]`.
std::string cloud_id_url(const std::string& cloud_id);

}  // namespace achilles::elasticsearch
