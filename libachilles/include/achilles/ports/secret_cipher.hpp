#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace achilles {

// Encrypts the secret fields of settings files (API keys, passwords, client
// secrets) and reads them back. Sealed values carry the `enc:` prefix; a
// value without it is legacy plaintext and opens as itself.
class SecretCipher {
public:
  virtual ~SecretCipher() = default;
  virtual std::string seal(std::string_view plaintext) const = 0;
  // Throws CipherError when the value cannot be decrypted with any known key.
  virtual std::string open(std::string_view stored) const = 0;
};

// A secret that cannot be encrypted or decrypted (a wrong key, a damaged value).
class CipherError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace achilles
