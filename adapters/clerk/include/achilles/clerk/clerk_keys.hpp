#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "achilles/http/outbound_client.hpp"
#include "achilles/jwt/rsa_public_key.hpp"
#include "achilles/ports/clock.hpp"

namespace achilles::clerk {

// Where the key that signed a session token comes from.
class ClerkKeys {
public:
  virtual ~ClerkKeys() = default;
  enum class Lookup { Found, Unknown, MustFetch };
  struct Answer {
    Lookup lookup;
    std::optional<jwt::RsaPublicKey> key;
  };
  // The key for `kid`, waiting for a fetch when one is due.
  virtual Answer key_for(const std::optional<std::string>& kid) const = 0;
  // The same without waiting: MustFetch where key_for would fetch.
  virtual Answer cached_key_for(const std::optional<std::string>& kid) const = 0;
};

// CLERK_JWT_KEY: one PEM key for every token, whatever its `kid`; no network.
class PemClerkKey final : public ClerkKeys {
public:
  explicit PemClerkKey(jwt::RsaPublicKey key) : key_(std::move(key)) {}
  Answer key_for(const std::optional<std::string>&) const override { return {Lookup::Found, key_}; }
  Answer cached_key_for(const std::optional<std::string>& kid) const override { return key_for(kid); }

private:
  jwt::RsaPublicKey key_;
};

struct JwksTiming {
  std::chrono::milliseconds ttl{5 * 60 * 1000};           // the key set is fetched again after this
  std::chrono::milliseconds unknown_kid_gap{30 * 1000};  // at most one refetch for unknown kids per gap
};

// Clerk's JWKS (GET {api}/{version}/jwks with the secret key; CLERK_API_URL,
// default https://api.clerk.com, and CLERK_API_VERSION, default v1), cached by `kid` and
// fetched again after `ttl`. One fetch at a time; tokens with unknown kids
// cause at most one refetch per `unknown_kid_gap`, however many arrive, and a
// token without a `kid` never causes one. A failed fetch keeps the keys it
// had and is not retried within the gap.
class ClerkJwks final : public ClerkKeys {
public:
  ClerkJwks(const http::OutboundClient& client, std::string api_url, std::string secret_key, const Clock& clock,
            JwksTiming timing = {}, std::string api_version = "v1");
  Answer key_for(const std::optional<std::string>& kid) const override;
  Answer cached_key_for(const std::optional<std::string>& kid) const override;

private:
  enum class Due { No, Stale, UnknownKid };
  Due due(const std::optional<std::string>& kid, std::int64_t now) const;  // under mutex_
  Answer lookup(const std::optional<std::string>& kid) const;            // under mutex_
  void fetch(std::int64_t now) const;       // under fetching_, not mutex_
  bool fetch_keys(std::int64_t now) const;  // false when Clerk gave no key set

  const http::OutboundClient& client_;
  std::string url_;
  std::string secret_key_;
  const Clock& clock_;
  JwksTiming timing_;
  mutable std::mutex fetching_;  // one fetch in flight
  mutable std::mutex mutex_;     // the cache
  mutable std::map<std::string, jwt::RsaPublicKey> keys_;
  mutable std::optional<std::int64_t> fetched_at_;
  mutable std::optional<std::int64_t> failed_at_;
  mutable std::optional<std::int64_t> unknown_kid_fetched_at_;
};

}  // namespace achilles::clerk
