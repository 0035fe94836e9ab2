#include "codec/api_key_json.hpp"

#include "achilles/query/date_math.hpp"

namespace achilles::server {
namespace {
boost::json::value time_json(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return boost::json::string(format_iso_millis(*ms));
}
}  // namespace

boost::json::object api_key_json(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"key_prefix", key.key_prefix},
          {"scope", api_key_scope_name(key.scope)},
          {"created_at", format_iso_millis(key.created_at_ms)},
          {"expires_at", time_json(key.expires_at_ms)},
          {"last_used_at", time_json(key.last_used_at_ms)},
          {"revoked_at", time_json(key.revoked_at_ms)}};
}

}  // namespace achilles::server
