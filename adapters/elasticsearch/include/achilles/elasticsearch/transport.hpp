#pragma once
#include <string>
#include <string_view>

namespace achilles::elasticsearch {

// One HTTP exchange with the cluster.
struct EsReply {
  int status = 0;
  std::string body;
};

// Whether a request may be sent twice: reads may, writes may not (a bulk or
// a reindex repeated after a lost answer would act twice).
enum class Idempotent { Yes, No };

// How the adapter talks to Elasticsearch. Implementations throw
// BackendUnavailable (naming Elasticsearch) when no answer arrives within
// their timeout; any HTTP answer, 4xx and 5xx included, is returned.
class EsTransport {
public:
  virtual ~EsTransport() = default;
  // `target` is the path and query, e.g. "/achilles-results-*/_search".
  virtual EsReply send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
                       std::string_view content_type = "application/json") = 0;
};

}  // namespace achilles::elasticsearch
