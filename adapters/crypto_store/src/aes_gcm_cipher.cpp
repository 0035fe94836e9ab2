#include "achilles/crypto_store/aes_gcm_cipher.hpp"

#include "achilles/log/log.hpp"
#include "achilles/text/hex.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pwd.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <vector>

namespace achilles::crypto_store {
namespace {

constexpr std::string_view kPrefix = "enc:";
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kTagSize = 16;

std::string hex(const unsigned char* data, std::size_t size) { return lowercase_hex(data, size); }

std::optional<std::vector<unsigned char>> unhex(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<unsigned char>(hi << 4 | lo));
  }
  return out;
}

Key sha256(std::string_view text) {
  Key k{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), k.data());
  return k;
}

// The original's first, machine-bound key: SHA-256(hostname + OS user name).
std::optional<Key> machine_key() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return std::nullopt;
  const passwd* pw = ::getpwuid(::geteuid());
  if (!pw) return std::nullopt;
  return sha256(std::string(host) + pw->pw_name);
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::optional<std::string> decrypt(const Key& key, const std::vector<unsigned char>& iv,
                                   const std::vector<unsigned char>& tag, const std::vector<unsigned char>& ct) {
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(ct.size(), '\0');
  int len = 0, final_len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvSize, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1)
    return std::nullopt;
  if (!ct.empty() &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, ct.data(),
                        static_cast<int>(ct.size())) != 1)
    return std::nullopt;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, const_cast<unsigned char*>(tag.data())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &final_len) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(len + final_len));
  return out;
}

}  // namespace

Key AesGcmCipher::derive_key(const std::string& secret) {
  Key key{};
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr),
                                                                  EVP_PKEY_CTX_free);
  static constexpr std::string_view kSalt = "projectachilles-settings-v1";
  static constexpr std::string_view kInfo = "encryption";
  std::size_t length = key.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), reinterpret_cast<const unsigned char*>(kSalt.data()),
                                  static_cast<int>(kSalt.size())) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()),
                                 static_cast<int>(secret.size())) != 1 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), reinterpret_cast<const unsigned char*>(kInfo.data()),
                                  static_cast<int>(kInfo.size())) != 1 ||
      EVP_PKEY_derive(ctx.get(), key.data(), &length) != 1)
    throw CipherError("key derivation failed");
  return key;
}

AesGcmCipher::AesGcmCipher(const std::string& secret) {
  if (secret.empty())
    throw CipherError("ENCRYPTION_SECRET environment variable is required. Generate one with: openssl rand -base64 32");
  // JavaScript counts UTF-16 units; for the ASCII secrets people generate this is the byte count.
  if (secret.size() < 32)
    throw CipherError("ENCRYPTION_SECRET must be at least 32 characters. Generate one with: openssl rand -base64 32");
  key_ = derive_key(secret);
  legacy_v2_ = sha256(secret);
  legacy_v1_ = machine_key();
}

std::string AesGcmCipher::seal_with_iv(std::string_view plaintext, const std::array<unsigned char, 16>& iv) const {
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::vector<unsigned char> ct(plaintext.size() + 16);
  unsigned char tag[kTagSize];
  int len = 0, final_len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvSize, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), iv.data()) != 1 ||
      (!plaintext.empty() &&
       EVP_EncryptUpdate(ctx.get(), ct.data(), &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                         static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), ct.data() + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag) != 1)
    throw CipherError("encryption failed");
  return hex(iv.data(), iv.size()) + ":" + hex(tag, kTagSize) + ":" + hex(ct.data(), static_cast<std::size_t>(len + final_len));
}

std::string AesGcmCipher::seal(std::string_view plaintext) const {
  std::array<unsigned char, 16> iv{};
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) throw CipherError("no randomness for the IV");
  return std::string(kPrefix) + seal_with_iv(plaintext, iv);
}

std::string AesGcmCipher::open(std::string_view stored) const {
  if (!stored.starts_with(kPrefix)) return std::string(stored);  // legacy plaintext
  const std::string_view body = stored.substr(kPrefix.size());
  const auto first = body.find(':');
  const auto second = first == std::string_view::npos ? first : body.find(':', first + 1);
  if (second == std::string_view::npos || body.find(':', second + 1) != std::string_view::npos)
    throw CipherError("Invalid encrypted value: expected iv:tag:ciphertext");
  auto iv = unhex(body.substr(0, first));
  auto tag = unhex(body.substr(first + 1, second - first - 1));
  auto ct = unhex(body.substr(second + 1));
  if (!iv || !tag || !ct || iv->size() != kIvSize || tag->size() != kTagSize)
    throw CipherError("Invalid encrypted value: bad IV, tag or ciphertext encoding");
  if (auto text = decrypt(key_, *iv, *tag, *ct)) return *text;
  for (const std::optional<Key>& legacy : {std::optional<Key>(legacy_v2_), legacy_v1_}) {
    if (!legacy) continue;
    if (auto text = decrypt(*legacy, *iv, *tag, *ct)) {
      log_event(LogLevel::Warn, "encryption", "Decrypted with legacy key - settings will be re-encrypted on next save");
      return *text;
    }
  }
  throw CipherError("Unable to decrypt: authentication failed with current and legacy keys");
}

}  // namespace achilles::crypto_store
