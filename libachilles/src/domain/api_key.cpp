#include "achilles/domain/api_key.hpp"

namespace achilles {

bool looks_like_api_key(std::string_view bearer) {
  constexpr std::string_view kPrefix = "pa_";
  if (bearer.size() != kPrefix.size() + 64 || !bearer.starts_with(kPrefix)) return false;
  for (char c : bearer.substr(kPrefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string_view api_key_scope_name(ApiKeyScope scope) { return scope == ApiKeyScope::Read ? "read" : "read-write"; }

std::optional<ApiKeyScope> api_key_scope_from(std::string_view name) {
  if (name == "read") return ApiKeyScope::Read;
  if (name == "read-write") return ApiKeyScope::ReadWrite;
  return std::nullopt;
}

}  // namespace achilles
