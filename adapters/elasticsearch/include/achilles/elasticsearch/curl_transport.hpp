#pragma once
#include <memory>

#include "achilles/elasticsearch/connection.hpp"
#include "achilles/elasticsearch/transport.hpp"

namespace achilles::elasticsearch {

// EsTransport over libcurl. Keeps a pool of easy handles so that each
// concurrent request reuses a warm connection (TLS included). Timeouts from
// the EsConnection bound every request; a request that may be repeated is
// sent once more when the connection failed before any answer (a stale
// keep-alive connection closed by the cluster), never after a timeout.
class CurlTransport final : public EsTransport {
public:
  explicit CurlTransport(EsConnection connection);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  EsReply send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
               std::string_view content_type) override;
  using EsTransport::send;

private:
  struct Pool;
  EsConnection connection_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace achilles::elasticsearch
