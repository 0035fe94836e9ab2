#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "achilles/auth/permission.hpp"

namespace achilles {

// A `pa_` API key for scripts and CI gates (platform-spec §1.5), as stored:
// never the key itself, only the SHA-256 of the whole key.
struct ApiKey {
  std::string id;  // a UUID
  std::string name;
  std::string token_hash;  // SHA-256 hex of "pa_…"
  std::string key_prefix;  // the key's first 12 characters, to recognise it by
  ApiKeyScope scope = ApiKeyScope::Read;
  std::string created_by;
  std::optional<std::string> org_id;  // the creator's organisation
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> expires_at_ms;
  std::optional<std::int64_t> last_used_at_ms;
  std::optional<std::int64_t> revoked_at_ms;

  bool usable_at(std::int64_t now_ms) const {
    return !revoked_at_ms && !(expires_at_ms && *expires_at_ms < now_ms);
  }
};

// "pa_" and 64 lowercase hexadecimal digits: anything else is not an API key
// and is never looked up.
bool looks_like_api_key(std::string_view bearer);

std::string_view api_key_scope_name(ApiKeyScope scope);  // "read" | "read-write"
std::optional<ApiKeyScope> api_key_scope_from(std::string_view name);

}  // namespace achilles
