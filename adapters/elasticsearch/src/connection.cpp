#include "achilles/elasticsearch/connection.hpp"

#include <array>
#include <optional>

#include "achilles/errors.hpp"
#include "achilles/text/base64.hpp"
#include "achilles/text/trimmed.hpp"

namespace achilles::elasticsearch {

std::string cloud_id_url(const std::string& cloud_id) {
  const auto colon = cloud_id.find(':');
  const auto decoded = base64_decode(colon == std::string::npos ? cloud_id : cloud_id.substr(colon + 1));
  if (!decoded) throw InvalidArgument("Invalid Elasticsearch configuration: the cloud id does not decode");
  const auto first = decoded->find('$');
  if (first == std::string::npos || first == 0)
    throw InvalidArgument("Invalid Elasticsearch configuration: the cloud id names no cluster");
  std::string host = decoded->substr(0, first);
  const auto second = decoded->find('$', first + 1);
  const std::string es_id = decoded->substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (es_id.empty()) throw InvalidArgument("Invalid Elasticsearch configuration: the cloud id names no cluster");
  std::string port;
  if (const auto p = host.find(':'); p != std::string::npos) {
    port = host.substr(p);
    host.resize(p);
  }
  return "https://" + es_id + "." + host + port;
}

EsConnection connection_for(const AnalyticsSettings& s) {
  EsConnection c;
  if (s.connection_type == "cloud" && !s.cloud_id.empty()) {
    c.base_url = cloud_id_url(s.cloud_id);
    c.authorization = "ApiKey " + s.api_key;
    return c;
  }
  if (!s.node || s.node->empty()) throw InvalidArgument("Invalid Elasticsearch configuration");
  c.base_url = *s.node;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (!s.api_key.empty())
    c.authorization = "ApiKey " + s.api_key;
  else if (!s.username.empty() || !s.password.empty())
    c.authorization = "Basic " + base64_encode(s.username + ":" + s.password);
  c.ca_cert_pem = trimmed(s.ca_cert).empty() ? std::string() : s.ca_cert;
  c.skip_verify = s.tls_insecure_skip_verify;
  return c;
}

}  // namespace achilles::elasticsearch
