#include "achilles/elasticsearch/connection.hpp"

#include <array>
#include <optional>

#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace {

std::optional<std::string> base64_decode(std::string_view text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    if (c == '-') c = '+';  // tolerate the URL-safe alphabet
    if (c == '_') c = '/';
    const auto index = kAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                   std::uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < bytes.size()) {
    std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace

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
