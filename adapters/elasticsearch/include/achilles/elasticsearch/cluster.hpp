#pragma once
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "achilles/elasticsearch/transport.hpp"

namespace achilles::elasticsearch {

// An index as GET /api/analytics/indices lists it (analytics-spec §3.8).
struct IndexSummary {
  std::string name;
  std::int64_t docs_count = 0;
  std::int64_t store_size = 0;
  std::string health;
};

// Elasticsearch's error text for a failed answer (analytics-spec §4.2):
// "<type>" plus caused-by and up to three root causes, each part cut to 300
// characters; for anything else "Response Error". The original echoes the
// body; we never pass on a peer's bytes (an HTML error page, a proxy's text).
std::string es_error_text(const std::string& body);

// A path segment for an index name or pattern: everything but letters,
// digits and - _ . * , + is percent-encoded so a pattern cannot change the path.
std::string index_segment(std::string_view pattern);

// JSON calls to one cluster over a transport, with the answers' errors
// turned into the domain's: a 4xx → BackendRejected with Elasticsearch's
// reason, a 5xx or an answer that is not JSON → BackendUnavailable.
class EsCluster {
public:
  explicit EsCluster(std::shared_ptr<EsTransport> transport) : transport_(std::move(transport)) {}

  boost::json::value call(std::string_view method, std::string_view target, const boost::json::value* body,
                          Idempotent idempotent) const;
  boost::json::value call_ndjson(std::string_view target, std::string_view ndjson, Idempotent idempotent) const;
  EsReply send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
               std::string_view content_type = "application/json") const {
    return transport_->send(method, target, body, idempotent, content_type);
  }

  std::string version() const;                        // GET / → version.number
  bool index_exists(const std::string& name) const;   // HEAD /<name>
  // PUT /<name> with `body`; false when Elasticsearch answers 400 (it exists).
  bool create_index(const std::string& name, const boost::json::value& body) const;
  // _cat/indices of the pattern sorted by name; a pattern matching no index: none.
  std::vector<IndexSummary> indices(const std::string& pattern) const;

  // The JSON of an answer, or the domain error its status means.
  boost::json::value answer_of(const EsReply& reply) const;

private:
  std::shared_ptr<EsTransport> transport_;
};

}  // namespace achilles::elasticsearch
