#include "achilles/graph/client_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <memory>

#include "achilles/ports/defender_graph.hpp"
#include "achilles/text/base64.hpp"
#include "achilles/text/hex.hpp"

namespace achilles::graph {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string random_uuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw GraphFailure("Failed to build certificate assertion: no randomness");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  const std::string h = lowercase_hex(b, sizeof b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace

std::optional<std::string> x5t_of_thumbprint(std::string_view thumbprint) {
  std::string digits;
  for (char c : thumbprint)
    if (c != ':') digits += c;
  if (digits.empty() || digits.size() % 2) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int hi = hex_digit(digits[i]), lo = hex_digit(digits[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  return base64url_encode(bytes);
}

std::string client_assertion(const std::string& token_url, const std::string& client_id, std::string_view thumbprint,
                             const std::string& private_key_pem, std::int64_t now_s) {
  const auto x5t = x5t_of_thumbprint(thumbprint);
  if (!x5t) throw GraphFailure("Failed to build certificate assertion: the certificate thumbprint is not hexadecimal");
  // Key order as the original writes it.
  const std::string header = R"({"alg":"RS256","typ":"JWT","x5t":)" + boost::json::serialize(boost::json::value(*x5t)) + "}";
  boost::json::object payload{{"aud", token_url}, {"iss", client_id}, {"sub", client_id},
                              {"exp", now_s + 600}, {"nbf", now_s}, {"jti", random_uuid()}};
  const std::string input = base64url_encode(header) + "." + base64url_encode(boost::json::serialize(payload));

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())),
                                                BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!key) throw GraphFailure("Failed to build certificate assertion: the private key is not a readable PEM key");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
    throw GraphFailure("Failed to build certificate assertion: RS256 needs an RSA private key");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1)
    throw GraphFailure("Failed to build certificate assertion: signing failed");
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data, input.size()) != 1)
    throw GraphFailure("Failed to build certificate assertion: signing failed");
  signature.resize(length);
  return input + "." + base64url_encode(signature);
}

}  // namespace achilles::graph
