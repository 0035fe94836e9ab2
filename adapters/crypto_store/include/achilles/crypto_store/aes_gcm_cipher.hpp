#pragma once
#include <array>
#include <optional>
#include <string>

#include "achilles/ports/secret_cipher.hpp"

namespace achilles::crypto_store {

using Key = std::array<unsigned char, 32>;

// The original's settings encryption (platform-spec §3.1): AES-256-GCM with a
// 16-byte random IV, no AAD, a 16-byte tag, stored as
// enc:<hex iv>:<hex tag>:<hex ciphertext>; the key is HKDF-SHA256 of
// ENCRYPTION_SECRET (salt "projectachilles-settings-v1", info "encryption").
// Values sealed by the original open here and the other way round; values
// under its legacy keys (SHA-256 of the secret; SHA-256 of hostname + user)
// still open.
class AesGcmCipher final : public SecretCipher {
public:
  // Throws CipherError with the original's wording when the secret is
  // missing or shorter than 32 characters.
  explicit AesGcmCipher(const std::string& encryption_secret);

  std::string seal(std::string_view plaintext) const override;
  std::string open(std::string_view stored) const override;

  // The `iv:tag:ct` part for a given IV: known-answer tests only.
  std::string seal_with_iv(std::string_view plaintext, const std::array<unsigned char, 16>& iv) const;

  const Key& key() const { return key_; }
  const Key& legacy_key() const { return legacy_v2_; }

  static Key derive_key(const std::string& secret);

private:
  Key key_;
  Key legacy_v2_;
  std::optional<Key> legacy_v1_;
};

}  // namespace achilles::crypto_store
