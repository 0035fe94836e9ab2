#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "http/exchange.hpp"

namespace achilles::server {

struct RateLimit {
  std::int64_t limit;
  std::chrono::seconds window;
  std::string refusal;  // the 429's error
};

// The original's limiters (platform-spec §2.5), with its budgets, keys and
// bodies: fixed windows that start at a key's first request and count every
// request, in this process's memory.
struct RateLimitPolicy {
  bool enabled = true;
  // Bearer credentials that are not API keys and not a verified Clerk
  // session (CLI tokens, bad tokens), per client address.
  RateLimit cli_bearer{60, std::chrono::seconds(60), "Too many authentication attempts"};
  // `Bearer pa_…`, per client address.
  RateLimit api_key{60, std::chrono::seconds(60), "Too many API key authentication attempts"};
  // Everything under /api/, per principal, or per client address before one is known.
  RateLimit global{1000, std::chrono::seconds(15 * 60), "Too many requests, please try again later"};
};

// Counts per key in fixed windows. Its memory is bounded: past
// kMaxKeys keys, finished windows are dropped first, then the oldest.
class FixedWindows {
public:
  static constexpr std::size_t kMaxKeys = 100'000;
  struct Count {
    bool allowed;
    std::int64_t remaining;
    std::int64_t reset_seconds;
  };
  Count hit(const std::string& key, const RateLimit& limit, std::int64_t now_ms);

private:
  struct Window {
    std::int64_t started_ms;
    std::int64_t hits;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

class RateLimits {
public:
  RateLimits(RateLimitPolicy policy, const Clock& clock) : policy_(std::move(policy)), clock_(clock) {}

  // Counts one /api/ request of `principal` (nullopt: anonymous) from its
  // address. Returns the 429 to answer instead, or nullopt; `headers`
  // receives the RateLimit-* headers for the response either way.
  std::optional<HttpResponse> count(const HttpRequest& request, std::string_view bearer,
                                    const std::optional<Principal>& principal,
                                    std::vector<std::pair<std::string, std::string>>& headers);

private:
  RateLimitPolicy policy_;
  const Clock& clock_;
  FixedWindows cli_bearer_;
  FixedWindows api_key_;
  FixedWindows global_;
};

// IPv4 as it is; IPv6 cut to its /56, as the original keys its limiters.
std::string rate_limit_address(const std::string& address);

}  // namespace achilles::server
