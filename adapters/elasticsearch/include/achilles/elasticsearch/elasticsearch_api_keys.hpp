#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/ports/api_keys.hpp"

namespace achilles::elasticsearch {

// API keys on the cluster (index achilles-api-keys), so every instance
// serving it accepts the same keys and a revocation holds everywhere at the
// next request (writes use refresh=wait_for). Fields as the original's
// api_keys table, times as ISO-8601.
//   insert:       PUT _create/<id> (409 → Conflict), the index created first;
//   find_by_hash: a term search on token_hash (keyword);
//   revoke:       GET _doc, then _update under if_seq_no/if_primary_term;
//   touch:        _update of last_used_at, best effort.
// A missing index holds no keys.
class ElasticsearchApiKeys final : public ApiKeys {
public:
  explicit ElasticsearchApiKeys(std::shared_ptr<EsTransport> transport, std::string index = "achilles-api-keys");

  void insert(const ApiKey& key) override;
  std::optional<ApiKey> find_by_hash(const std::string& token_hash) const override;
  std::optional<ApiKey> find(const std::string& id) const override;
  std::vector<ApiKey> list() const override;
  bool revoke(const std::string& id, std::int64_t at_ms) override;
  void touch(const std::string& id, std::int64_t at_ms) noexcept override;
  bool answers_locally() const override { return false; }

private:
  std::vector<ApiKey> search(const boost::json::object& query, std::size_t limit) const;
  EsCluster cluster_;
  std::string index_;
  mutable std::atomic<bool> index_ready_{false};
};

boost::json::value api_keys_index_body();
boost::json::object encode_api_key(const ApiKey& key);
// nullopt when the source lacks what makes a key (id, hash, scope).
std::optional<ApiKey> decode_api_key(const boost::json::object& source);

}  // namespace achilles::elasticsearch
