#include "achilles/local_token/openssl_api_key_mint.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "achilles/text/hex.hpp"

namespace achilles::local_token {
namespace {

std::string hex(const unsigned char* bytes, std::size_t n) { return lowercase_hex(bytes, n); }

void random_bytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("no randomness for an API key");
}

}  // namespace

std::string OpenSslApiKeyMint::new_key() const {
  unsigned char bytes[32];
  random_bytes(bytes, sizeof bytes);
  return "pa_" + hex(bytes, sizeof bytes);
}

std::string OpenSslApiKeyMint::hash_of(std::string_view key) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(key.data(), key.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return hex(digest, length);
}

std::string OpenSslApiKeyMint::new_id() const {
  unsigned char b[16];
  random_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string h = hex(b, sizeof b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace achilles::local_token
