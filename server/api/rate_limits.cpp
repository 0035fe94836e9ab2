#include "api/rate_limits.hpp"

#include <boost/asio/ip/address.hpp>

#include "achilles/text/json_text.hpp"

namespace achilles::server {

FixedWindows::Count FixedWindows::hit(const std::string& key, const RateLimit& limit, std::int64_t now_ms) {
  const std::int64_t window_ms = limit.window.count() * 1000;
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end() || now_ms - it->second.started_ms >= window_ms) {
    if (it == windows_.end() && windows_.size() >= kMaxKeys) {
      std::erase_if(windows_, [&](const auto& w) { return now_ms - w.second.started_ms >= window_ms; });
      if (windows_.size() >= kMaxKeys) {
        auto oldest = windows_.begin();
        for (auto w = windows_.begin(); w != windows_.end(); ++w)
          if (w->second.started_ms < oldest->second.started_ms) oldest = w;
        windows_.erase(oldest);
      }
    }
    it = windows_.insert_or_assign(key, Window{now_ms, 0}).first;
  }
  Window& w = it->second;
  ++w.hits;
  const std::int64_t reset_ms = w.started_ms + window_ms - now_ms;
  return {w.hits <= limit.limit, std::max<std::int64_t>(0, limit.limit - w.hits), (reset_ms + 999) / 1000};
}

std::string rate_limit_address(const std::string& address) {
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(address, ec);
  if (ec || !parsed.is_v6()) return address;
  auto bytes = parsed.to_v6().to_bytes();
  if (parsed.to_v6().is_v4_mapped()) return parsed.to_v6().to_v4().to_string();
  for (std::size_t i = 7; i < bytes.size(); ++i) bytes[i] = 0;  // keep 56 bits
  return boost::asio::ip::address_v6(bytes).to_string() + "/56";
}

std::optional<HttpResponse> RateLimits::count(const HttpRequest& request, std::string_view bearer,
                                              const std::optional<Principal>& principal,
                                              std::vector<std::pair<std::string, std::string>>& headers) {
  if (!policy_.enabled) return std::nullopt;
  const std::int64_t now = clock_.now_ms();
  const std::string address = rate_limit_address(request.remote_address);
  const RateLimit* applied = &policy_.global;
  FixedWindows::Count count = global_.hit(principal ? "user:" + principal->user_id : "ip:" + address, policy_.global, now);
  auto narrower = [&](FixedWindows& windows, const RateLimit& limit) {
    const auto c = windows.hit(address, limit, now);
    if (!c.allowed || count.allowed) {  // a refusal wins; otherwise the tighter budget is reported
      if (!c.allowed || c.remaining < count.remaining) {
        count = c;
        applied = &limit;
      }
    }
  };
  if (bearer.starts_with("pa_")) {
    narrower(api_key_, policy_.api_key);
  } else if (!bearer.empty()) {
    const bool exempt = principal && (principal->credential == Credential::ClerkSession ||
                                      principal->credential == Credential::LocalAdminToken);
    if (!exempt) narrower(cli_bearer_, policy_.cli_bearer);
  }
  headers.emplace_back("RateLimit-Policy", std::to_string(applied->limit) + ";w=" + std::to_string(applied->window.count()));
  headers.emplace_back("RateLimit-Limit", std::to_string(applied->limit));
  headers.emplace_back("RateLimit-Remaining", std::to_string(count.remaining));
  headers.emplace_back("RateLimit-Reset", std::to_string(count.reset_seconds));
  if (count.allowed) return std::nullopt;
  HttpResponse refused{429, R"({"success":false,"error":)" + json_quoted(applied->refusal) + "}", {}};
  refused.headers.emplace_back("Retry-After", std::to_string(count.reset_seconds));
  return refused;
}

}  // namespace achilles::server
