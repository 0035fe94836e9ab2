#pragma once
#include <memory>
#include <optional>
#include <string_view>

#include "achilles/jwt/jwt.hpp"

namespace achilles::jwt {

// An RSA public key of at least 2048 bits that checks RS256/384/512
// signatures (RSASSA-PKCS1-v1_5). Any other kind of key is refused when
// read, so no token can make it verify an HMAC or a curve signature.
class RsaPublicKey {
public:
  // PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1): CLERK_JWT_KEY.
  static std::optional<RsaPublicKey> from_pem(std::string_view pem);
  // A JWK's base64url modulus and exponent: Clerk's JWKS.
  static std::optional<RsaPublicKey> from_jwk(std::string_view n, std::string_view e);

  // True only for an RS* token whose signature this key made.
  bool verifies(const DecodedJwt& token) const;

private:
  struct Key;
  explicit RsaPublicKey(std::shared_ptr<Key> key) : key_(std::move(key)) {}
  std::shared_ptr<Key> key_;
};

}  // namespace achilles::jwt
