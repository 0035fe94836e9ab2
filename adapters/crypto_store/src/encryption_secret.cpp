#include "achilles/crypto_store/encryption_secret.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <stdexcept>

#include "achilles/crypto_store/private_file.hpp"

namespace achilles::crypto_store {

EncryptionSecret load_or_create_encryption_secret(const std::filesystem::path& data_dir, const char* env_secret) {
  if (env_secret && *env_secret) return {env_secret, std::nullopt, false};
  const auto path = data_dir / "encryption.secret";
  if (auto content = read_file(path)) {
    while (!content->empty() && (content->back() == '\n' || content->back() == '\r')) content->pop_back();
    if (content->size() < 32)
      throw std::runtime_error(path.string() + " holds no usable secret (under 32 characters); restore it from a backup");
    ::chmod(path.c_str(), 0600);
    return {*content, path, false};
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for the encryption secret");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string secret;
  for (unsigned char b : bytes) {
    secret += kHex[b >> 4];
    secret += kHex[b & 15];
  }
  write_private_file(path, secret + "\n");
  return {secret, path, true};
}

}  // namespace achilles::crypto_store
