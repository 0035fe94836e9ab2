#pragma once
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/api_keys.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/identity_verifier.hpp"

namespace achilles {

// The POST /api/api-keys body as sent, not yet validated.
struct CreateApiKeyRequest {
  std::optional<std::string> name;
  std::optional<std::string> scope;
  std::optional<std::string> expires_at;
};

// A new API key: its stored record and the plaintext key, shown this once.
struct CreatedApiKey {
  ApiKey key;
  std::string plaintext;  // shown once, never stored
};

// The /api/api-keys use cases (settings:users:manage, as the original) and
// `achilles api-key`. Fixing the original, an organisation-bound caller
// sees, and may revoke, only its organisation's keys (D9).
class ApiKeyService {
public:
  static constexpr std::size_t kMaxNameLength = 100;

  ApiKeyService(ApiKeys& store, const ApiKeyMint& mint, const Clock& clock) : store_(store), mint_(mint), clock_(clock) {}

  // Throws ValidationFailed: name (1..100 characters), scope (read or
  // read-write), expires_at (an ISO-8601 date-time, in the future).
  CreatedApiKey create(const CreateApiKeyRequest& request, const Principal& creator);
  std::vector<ApiKey> list(const Principal& caller) const;
  // Throws NotFound ("API key not found or already revoked").
  void revoke(const std::string& id, const Principal& caller);

private:
  ApiKeys& store_;
  const ApiKeyMint& mint_;
  const Clock& clock_;
};

// API keys as credentials (§1.5): a `pa_` key whose hash is stored, not
// revoked and not expired proves `apikey:<id>` with its scope's permissions
// and its creator's organisation. `last_used_at` is written at most once a
// minute per key, by workers only (never while an I/O thread waits).
class ApiKeyVerifier final : public IdentityVerifier {
public:
  ApiKeyVerifier(ApiKeys& store, const ApiKeyMint& mint, const Clock& clock) : store_(store), mint_(mint), clock_(clock) {}
  std::optional<Principal> verify(std::string_view bearer_token) const override;
  Verdict verify_without_waiting(std::string_view bearer_token) const override;

private:
  std::optional<ApiKey> usable(std::string_view bearer_token) const;
  ApiKeys& store_;
  const ApiKeyMint& mint_;
  const Clock& clock_;
  mutable std::mutex touched_mutex_;
  mutable std::unordered_map<std::string, std::int64_t> touched_at_;
};

Principal principal_of(const ApiKey& key);

}  // namespace achilles
