#include "achilles/jwt/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>

#include "achilles/json_fields/json_fields.hpp"

#include "achilles/text/base64.hpp"

namespace achilles::jwt {
namespace json = boost::json;
namespace {

bool is_base64url(std::string_view segment) {
  for (char c : segment)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return !segment.empty();
}

std::optional<json::object> json_object_of(std::string_view segment) {
  auto bytes = base64_decode(segment);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

using json_fields::number;
using json_fields::object;
using json_fields::text;

Algorithm algorithm_of(const std::optional<std::string>& name) {
  if (name == "RS256") return Algorithm::RS256;
  if (name == "RS384") return Algorithm::RS384;
  if (name == "RS512") return Algorithm::RS512;
  if (name == "HS256") return Algorithm::HS256;
  return Algorithm::Other;
}

}  // namespace

TokenClaims claims_of(const json::object& payload) {
  TokenClaims c;
  c.sub = text(payload, "sub");
  c.exp = number(payload, "exp");
  c.nbf = number(payload, "nbf");
  c.iat = number(payload, "iat");
  c.iss = text(payload, "iss");
  c.azp = text(payload, "azp");
  c.sts = text(payload, "sts");
  c.type = text(payload, "type");
  c.aud = json_fields::strings(payload, "aud");
  // A v2 session token carries its organisation as `o: {id, rol, slg}`.
  if (auto v = number(payload, "v"); v && *v == 2)
    if (const auto* o = object(payload, "o")) c.v2_org_id = text(*o, "id");
  c.org_id = text(payload, "org_id");
  if (const auto* metadata = object(payload, "metadata")) {
    c.metadata_org_id = text(*metadata, "org_id");
    c.metadata_role = text(*metadata, "role");
  }
  return c;
}

std::optional<DecodedJwt> decode(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return std::nullopt;
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  const auto header_text = token.substr(0, first);
  const auto payload_text = token.substr(first + 1, second - first - 1);
  const auto signature_text = token.substr(second + 1);
  if (!is_base64url(header_text) || !is_base64url(payload_text) || !is_base64url(signature_text)) return std::nullopt;
  auto header = json_object_of(header_text);
  auto payload = json_object_of(payload_text);
  auto signature = base64_decode(signature_text);
  if (!header || !payload || !signature) return std::nullopt;
  DecodedJwt jwt;
  jwt.alg = algorithm_of(text(*header, "alg"));
  jwt.kid = text(*header, "kid");
  jwt.typ = text(*header, "typ");
  jwt.claims = claims_of(*payload);
  jwt.payload = std::move(*payload);
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.signature = std::move(*signature);
  return jwt;
}

std::optional<std::string> claim_text(const json::object& payload, std::string_view path) {
  const json::object* at = &payload;
  while (true) {
    const auto dot = path.find('.');
    const auto name = path.substr(0, dot);
    if (dot == std::string_view::npos) return text(*at, name);
    at = object(*at, name);
    if (!at) return std::nullopt;
    path.remove_prefix(dot + 1);
  }
}

bool hs256_verifies(std::string_view secret, const DecodedJwt& token) {
  if (token.alg != Algorithm::HS256 || secret.empty()) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(token.signing_input.data()), token.signing_input.size(), mac, &length))
    return false;
  return token.signature.size() == length && CRYPTO_memcmp(mac, token.signature.data(), length) == 0;
}

}  // namespace achilles::jwt
