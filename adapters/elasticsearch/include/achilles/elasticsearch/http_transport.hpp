#pragma once
#include <string>

#include "achilles/elasticsearch/connection.hpp"
#include "achilles/elasticsearch/transport.hpp"
#include "achilles/http/outbound_client.hpp"

namespace achilles::elasticsearch {

// EsTransport over the outbound client of adapters/http: every connection
// is checked against the connection's OutboundPolicy at connect time, no
// proxy, no redirects, timeouts and an answer size cap. A request that may
// be repeated is sent once more when the connection failed before any answer
// (a stale keep-alive connection closed by the cluster), never after a timeout.
class HttpTransport final : public EsTransport {
public:
  explicit HttpTransport(EsConnection connection);

  EsReply send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
               std::string_view content_type) override;
  using EsTransport::send;

private:
  EsConnection connection_;
  std::string shown_url_;  // base_url without credentials, for error messages
  http::OutboundClient client_;
};

}  // namespace achilles::elasticsearch
