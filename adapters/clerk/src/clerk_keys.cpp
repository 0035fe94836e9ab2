#include "achilles/clerk/clerk_keys.hpp"

#include <boost/json/parse.hpp>

#include "achilles/log/log.hpp"

namespace achilles::clerk {
namespace json = boost::json;

ClerkJwks::ClerkJwks(const http::OutboundClient& client, std::string api_url, std::string secret_key,
                     const Clock& clock, JwksTiming timing, std::string api_version)
    : client_(client),
      url_(std::move(api_url)),
      secret_key_(std::move(secret_key)),
      clock_(clock),
      timing_(timing) {
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
  url_ += "/" + api_version + "/jwks";
}

ClerkJwks::Due ClerkJwks::due(const std::optional<std::string>& kid, std::int64_t now) const {
  if (!kid) return Due::No;  // nothing to look for: never a call to Clerk
  const auto gap = timing_.unknown_kid_gap.count();
  if (!fetched_at_ || now - *fetched_at_ >= timing_.ttl.count()) {
    // Stale or never fetched; after a failed fetch, the gap before the next.
    if (failed_at_ && now - *failed_at_ < gap) return Due::No;
    return Due::Stale;
  }
  if (keys_.contains(*kid)) return Due::No;
  if (unknown_kid_fetched_at_ && now - *unknown_kid_fetched_at_ < gap) return Due::No;
  return Due::UnknownKid;
}

ClerkKeys::Answer ClerkJwks::lookup(const std::optional<std::string>& kid) const {
  if (!kid) return {Lookup::Unknown, std::nullopt};
  auto it = keys_.find(*kid);
  if (it == keys_.end()) return {Lookup::Unknown, std::nullopt};
  return {Lookup::Found, it->second};
}

ClerkKeys::Answer ClerkJwks::cached_key_for(const std::optional<std::string>& kid) const {
  std::lock_guard lock(mutex_);
  if (due(kid, clock_.now_ms()) != Due::No) return {Lookup::MustFetch, std::nullopt};
  return lookup(kid);
}

ClerkKeys::Answer ClerkJwks::key_for(const std::optional<std::string>& kid) const {
  {
    std::lock_guard lock(mutex_);
    if (due(kid, clock_.now_ms()) == Due::No) return lookup(kid);
  }
  std::lock_guard one_fetch(fetching_);
  Due reason;
  {
    // Another thread may have fetched while this one waited.
    std::lock_guard lock(mutex_);
    reason = due(kid, clock_.now_ms());
    if (reason == Due::No) return lookup(kid);
    if (reason == Due::UnknownKid) unknown_kid_fetched_at_ = clock_.now_ms();
  }
  fetch(clock_.now_ms());
  std::lock_guard lock(mutex_);
  return lookup(kid);
}

void ClerkJwks::fetch(std::int64_t now) const {
  if (!fetch_keys(now)) {
    std::lock_guard lock(mutex_);
    failed_at_ = now;
  }
}

bool ClerkJwks::fetch_keys(std::int64_t now) const {
  std::map<std::string, jwt::RsaPublicKey> fresh;
  try {
    http::OutboundRequest request;
    request.url = url_;
    request.headers = {"Authorization: Bearer " + secret_key_, "Clerk-API-Version: 2025-11-10", "Accept: application/json"};
    const auto response = client_.send(request);
    if (response.status != 200) {
      log_event(LogLevel::Warn, "clerk", "JWKS fetch answered HTTP " + std::to_string(response.status));
      return false;
    }
    boost::system::error_code ec;
    const json::value body = json::parse(response.body, ec);
    const json::array* keys = !ec && body.is_object() && body.as_object().contains("keys") &&
                                      body.as_object().at("keys").is_array()
                                  ? &body.as_object().at("keys").get_array()
                                  : nullptr;
    if (!keys) {
      log_event(LogLevel::Warn, "clerk", "JWKS answer is not a key set");
      return false;
    }
    for (const auto& k : *keys) {
      if (!k.is_object()) continue;
      const auto& o = k.get_object();
      auto field = [&o](std::string_view name) -> std::string {
        auto it = o.find(name);
        return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
      };
      if (field("kty") != "RSA" || field("kid").empty()) continue;
      if (auto key = jwt::RsaPublicKey::from_jwk(field("n"), field("e"))) fresh.emplace(field("kid"), std::move(*key));
    }
  } catch (const std::exception& e) {
    log_event(LogLevel::Warn, "clerk", std::string("JWKS fetch failed: ") + e.what());
    return false;
  }
  std::lock_guard lock(mutex_);
  keys_ = std::move(fresh);
  fetched_at_ = now;
  failed_at_.reset();
  return true;
}

}  // namespace achilles::clerk
