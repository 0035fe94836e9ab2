#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/ports/risk_acceptances.hpp"

namespace achilles::elasticsearch {

// Risk acceptances in the original's index on the cluster, so that every
// instance serving the cluster (and the original itself) sees the same
// records, each change visible to the next read (writes use
// refresh=wait_for; D10).
//   insert: PUT _create/<id> (409 → Conflict); the index is created with
//           its mapping before the first write.
//   find:   GET _doc/<id>.
//   revoke: GET _doc/<id>, then _update under if_seq_no/if_primary_term, so
//           of two concurrent revokes exactly one succeeds.
//   list:   _search sorted by accepted_at then acceptance_id, both
//           descending, read to the end with search_after. Records accepted
//           in the same millisecond order by id (Elasticsearch keeps no
//           insertion order).
// A missing index holds no records. An index the original created maps
// org_id dynamically (text with a keyword sub-field): org filters then use
// org_id.keyword, found once from the mapping; where org_id is not mapped
// yet it is added as a keyword before our first write (never by a read: a
// reader may hold a read-only key). What is learnt of the index is
// forgotten when a search finds it gone.
class ElasticsearchRiskAcceptances final : public RiskAcceptances {
public:
  explicit ElasticsearchRiskAcceptances(std::shared_ptr<EsTransport> transport, std::string index = "achilles-risk-acceptances");

  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& acceptance_id) const override;
  bool revoke(const std::string& acceptance_id, std::int64_t revoked_at_ms, const std::string& revoked_by,
              const std::string& revoked_by_name, const std::string& reason) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

  const std::string& index() const { return index_; }

private:
  // A stored record and the version its next _update must name.
  struct StoredRecord {
    RiskAcceptance record;
    std::string seq_no;
    std::string primary_term;
  };
  std::optional<StoredRecord> read(const std::string& id) const;
  std::string document_path(std::string_view verb, const std::string& id) const;
  void prepare_index_for_writes();
  void forget_index() const;
  enum class OrgFieldUse { Read, Write };
  // The field an org filter matches exactly; nullopt when the index does not
  // exist. For a writer, an org_id not mapped yet is mapped as a keyword first.
  std::optional<std::string> org_field(OrgFieldUse use) const;
  EsCluster cluster_;
  std::string index_;
  mutable std::atomic<bool> index_ready_{false};
  mutable std::mutex org_field_mutex_;
  mutable std::optional<std::string> org_field_;
};

// The _search body of one page of a list (exposed for golden tests).
boost::json::object risk_acceptance_list_request(const RiskAcceptanceQuery& query, std::size_t page_size,
                                                 const boost::json::array* search_after, std::string_view org_field = "org_id");

}  // namespace achilles::elasticsearch
