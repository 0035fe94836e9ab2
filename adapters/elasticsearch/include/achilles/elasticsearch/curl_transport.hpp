#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

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
  std::string current_pin();
  struct Pool;
  EsConnection connection_;
  std::unique_ptr<Pool> pool_;
  std::mutex pin_mutex_;
  std::string pin_;
  std::optional<std::chrono::steady_clock::time_point> pinned_at_;
};

}  // namespace achilles::elasticsearch
