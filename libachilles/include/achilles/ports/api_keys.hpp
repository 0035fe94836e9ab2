#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "achilles/domain/api_key.hpp"

namespace achilles {

// Where API keys are kept. Adapters: the embedded store (results.db), and,
// read-only, the original deployment's agents.db.
class ApiKeys {
public:
  virtual ~ApiKeys() = default;
  // Throws BackendUnavailable when the store is busy, ReadOnly stores throw InvalidArgument.
  virtual void insert(const ApiKey& key) = 0;
  virtual std::optional<ApiKey> find_by_hash(const std::string& token_hash) const = 0;
  virtual std::optional<ApiKey> find(const std::string& id) const = 0;
  virtual std::vector<ApiKey> list() const = 0;  // newest first
  // True when an unrevoked key was revoked now.
  virtual bool revoke(const std::string& id, std::int64_t at_ms) = 0;
  // Best effort: never throws, never waits for a busy store.
  virtual void touch(const std::string& id, std::int64_t at_ms) noexcept = 0;
  // False for a store over the network: a server's I/O thread must not ask it.
  virtual bool answers_locally() const { return true; }
};

// Makes keys and hashes them (the adapter: OpenSSL's CSPRNG and SHA-256).
class ApiKeyMint {
public:
  virtual ~ApiKeyMint() = default;
  virtual std::string new_key() const = 0;                        // "pa_" + 64 lowercase hex
  virtual std::string hash_of(std::string_view key) const = 0;    // SHA-256 hex of the whole key
  virtual std::string new_id() const = 0;                         // a random UUID
};

}  // namespace achilles
