#pragma once
#include "achilles/ports/api_keys.hpp"

namespace achilles::local_token {

// API keys from OpenSSL's CSPRNG (32 bytes, as the original), hashed with
// SHA-256 over the whole "pa_…" string, as the original stores them.
class OpenSslApiKeyMint final : public ApiKeyMint {
public:
  std::string new_key() const override;
  std::string hash_of(std::string_view key) const override;
  std::string new_id() const override;
};

}  // namespace achilles::local_token
