#pragma once
#include "achilles/ports/api_keys.hpp"
#include "results/live_results.hpp"

namespace achilles::server {

// The API keys of the backend serving this request: a settings save that
// switches to a cluster switches the keys with the results (like risk
// acceptances). A backend that keeps none refuses to make keys
// (InvalidArgument) and knows none.
class LiveApiKeys final : public ApiKeys {
public:
  explicit LiveApiKeys(const LiveResults& live) : live_(live) {}
  void insert(const ApiKey& key) override;
  std::optional<ApiKey> find_by_hash(const std::string& token_hash) const override;
  std::optional<ApiKey> find(const std::string& id) const override;
  std::vector<ApiKey> list() const override;
  bool revoke(const std::string& id, std::int64_t at_ms) override;
  void touch(const std::string& id, std::int64_t at_ms) noexcept override;
  bool answers_locally() const override;

private:
  std::shared_ptr<ApiKeys> keys() const;  // null when the backend keeps none
  const LiveResults& live_;
};

}  // namespace achilles::server
