#pragma once
#include <chrono>
#include <string>

#include "achilles/domain/analytics_settings.hpp"
#include "achilles/security/outbound_url.hpp"

namespace achilles::elasticsearch {

// Where and how to reach the cluster (analytics-spec §3.0 "Connection").
struct EsConnection {
  std::string base_url;        // "https://host:9243", no trailing slash
  std::string authorization;   // the Authorization header value, or empty
  std::string ca_cert_pem;     // trusted CA instead of the system's, or empty
  bool skip_verify = false;    // TLS peer verification off (logged once)
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{30'000};  // whole request, connect included
  std::size_t max_response_bytes = 512u << 20;  // grouped pages and deep hits can be large
  // Where connections may go: checked on the address of every connection
  // (DNS rebinding changes nothing). Loopback and private ranges only when
  // listed, as for every outbound call.
  OutboundPolicy policy;
};

// `url` without the user and password of its authority, for messages.
std::string without_credentials(const std::string& url);

// The connection of the settings: cloud mode when connectionType is "cloud"
// and a cloud id is set (ApiKey auth, TLS options ignored), else direct mode
// on `node` (ApiKey if set, else Basic when a username or password is set).
// Throws InvalidArgument("Invalid Elasticsearch configuration") otherwise,
// and for a cloud id that does not decode.
EsConnection connection_for(const AnalyticsSettings& settings);

// `label:base64(domain[:port]$esId$kibanaId)` → `https://<esId>.<domain>[:port]`.
std::string cloud_id_url(const std::string& cloud_id);

}  // namespace achilles::elasticsearch
