#include "results/live_api_keys.hpp"

#include "achilles/errors.hpp"

namespace achilles::server {

std::shared_ptr<ApiKeys> LiveApiKeys::keys() const { return live_.serving()->api_keys; }

void LiveApiKeys::insert(const ApiKey& key) {
  auto k = keys();
  if (!k) throw InvalidArgument("API keys are not kept by this server");
  k->insert(key);
}

std::optional<ApiKey> LiveApiKeys::find_by_hash(const std::string& token_hash) const {
  auto k = keys();
  return k ? k->find_by_hash(token_hash) : std::nullopt;
}

std::optional<ApiKey> LiveApiKeys::find(const std::string& id) const {
  auto k = keys();
  return k ? k->find(id) : std::nullopt;
}

std::vector<ApiKey> LiveApiKeys::list() const {
  auto k = keys();
  return k ? k->list() : std::vector<ApiKey>{};
}

bool LiveApiKeys::revoke(const std::string& id, std::int64_t at_ms) {
  auto k = keys();
  return k && k->revoke(id, at_ms);
}

void LiveApiKeys::touch(const std::string& id, std::int64_t at_ms) noexcept {
  try {
    if (auto k = keys()) k->touch(id, at_ms);
  } catch (...) {
  }
}

bool LiveApiKeys::answers_locally() const {
  const auto b = live_.current();
  return !b->api_keys || b->api_keys->answers_locally();
}

}  // namespace achilles::server
