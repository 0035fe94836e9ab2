#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "achilles/security/outbound_url.hpp"

namespace achilles::http {

// Why an outbound request got no answer. `what()` names the host (never the
// URL's credentials) and the reason, never a byte of the peer's answer.
class OutboundFailure : public std::runtime_error {
public:
  enum class Kind { Refused, Unreachable, TimedOut, TooLarge };
  OutboundFailure(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

private:
  Kind kind_;
};

struct OutboundLimits {
  std::chrono::milliseconds connect_timeout{5'000};  // name resolution included
  std::chrono::milliseconds total_timeout{30'000};   // the whole exchange; an endless answer is cut here
  std::size_t max_response_bytes = 64u << 20;       // a larger answer is cut off (TooLarge)
};

struct TlsOptions {
  std::string ca_pem;        // trusted CA instead of the system's, or empty
  bool skip_verify = false;  // peer verification off (the caller logs it once)
};

struct OutboundRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  bool may_repeat = false;  // sent once more when the connection broke before any answer
};

struct OutboundResponse {
  int status = 0;
  std::string body;
  std::optional<std::string> retry_after;  // the Retry-After header, when sent
};

// The one way out of the process. Safe by construction:
// - every connection is checked against the OutboundPolicy on the address
//   actually being connected to (libcurl's open-socket callback), whatever
//   the URL spelled and whatever DNS answered; a refused one is never opened;
// - no proxy from the environment, no redirects, http and https only;
// - connect and total timeouts, and a cap on the answer's size.
// Thread-safe; keeps a pool of libcurl handles so connections are reused.
class OutboundClient {
public:
  // `upstream`: what GET /metrics counts its calls under ("elasticsearch",
  // "graph", "clerk_jwks").
  OutboundClient(OutboundPolicy policy, OutboundLimits limits = {}, TlsOptions tls = {}, std::string upstream = "other");
  ~OutboundClient();
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  // Any HTTP answer, 4xx and 5xx included; OutboundFailure when there is none.
  OutboundResponse send(const OutboundRequest& request) const;

  // The refusal for a URL before any request: its form, then every address
  // its host resolves to within the connect timeout. For early, clear
  // errors (a settings save); `send` checks again at connect time.
  std::optional<std::string> refusal(std::string_view url) const;

  const OutboundPolicy& policy() const { return policy_; }
  // Ends every exchange under way at once (each throws "the server is
  // stopping") and refuses new ones: for a shutdown that must not wait out
  // a slow upstream.
  void abort_all() const { aborted_ = true; }
  const OutboundLimits& limits() const { return limits_; }

private:
  OutboundResponse exchange(const OutboundRequest& request) const;

  struct Pool;
  std::string upstream_;
  OutboundPolicy policy_;
  OutboundLimits limits_;
  TlsOptions tls_;
  std::unique_ptr<Pool> pool_;
  mutable std::atomic<bool> aborted_{false};
};

// Every address `host` resolves to, within `deadline`; empty when it does
// not resolve in time.
std::vector<IpAddress> resolve_host(const std::string& host, std::chrono::milliseconds deadline);

}  // namespace achilles::http
