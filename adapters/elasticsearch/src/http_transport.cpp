#include "achilles/elasticsearch/http_transport.hpp"

#include "achilles/log/log.hpp"

#include <mutex>

#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace {

void warn_once_skip_verify() {
  static std::once_flag once;
  std::call_once(once, [] {
    log_event(LogLevel::Warn, "elasticsearch",
              "TLS certificate validation is DISABLED for the Elasticsearch connection (tlsInsecureSkipVerify)");
  });
}

http::OutboundLimits limits_of(const EsConnection& c) {
  return {c.connect_timeout, c.timeout, c.max_response_bytes};
}

}  // namespace

std::string without_credentials(const std::string& url) { return url_without_credentials(url); }

HttpTransport::HttpTransport(EsConnection connection)
    : connection_(std::move(connection)),
      shown_url_(without_credentials(connection_.base_url)),
      client_(connection_.policy, limits_of(connection_), {connection_.ca_cert_pem, connection_.skip_verify},
              "elasticsearch") {
  if (connection_.skip_verify) warn_once_skip_verify();
}

EsReply HttpTransport::send(std::string_view method, std::string_view target, std::string_view body, Idempotent idempotent,
                            std::string_view content_type) {
  http::OutboundRequest request;
  request.method = std::string(method);
  request.url = connection_.base_url + std::string(target);
  request.headers = {"Content-Type: " + std::string(content_type), "Accept: application/json"};
  if (!connection_.authorization.empty()) request.headers.push_back("Authorization: " + connection_.authorization);
  request.body = std::string(body);
  request.may_repeat = idempotent == Idempotent::Yes;
  try {
    auto response = client_.send(request);
    return {response.status, std::move(response.body)};
  } catch (const http::OutboundFailure& e) {
    switch (e.kind()) {
      case http::OutboundFailure::Kind::Refused:
        throw BackendUnavailable("Elasticsearch at " + shown_url_ + " may not be contacted: " + e.what());
      case http::OutboundFailure::Kind::TimedOut:
        throw BackendUnavailable("Elasticsearch did not answer within " + std::to_string(connection_.timeout.count()) +
                                 " ms (" + shown_url_ + ")");
      case http::OutboundFailure::Kind::TooLarge:
        throw BackendUnavailable("Elasticsearch answer too large: " + std::string(e.what()));
      case http::OutboundFailure::Kind::Unreachable: break;
    }
    throw BackendUnavailable("Elasticsearch is unreachable at " + shown_url_ + ": " + e.what());
  }
}

}  // namespace achilles::elasticsearch
