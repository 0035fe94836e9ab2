#include "api/auth_throttle.hpp"

namespace achilles::server {

std::optional<std::int64_t> AuthThrottle::retry_after(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto it = windows_.find(address);
  if (it == windows_.end()) return std::nullopt;
  const auto ends = it->second.start + window_;
  if (now >= ends) {
    windows_.erase(it);
    return std::nullopt;
  }
  if (it->second.failures < limit_) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(ends - now).count() + 1;
}

void AuthThrottle::failed(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (windows_.size() > 100'000) windows_.clear();  // bounded, whatever the number of addresses
  auto& w = windows_[address];
  if (w.failures == 0 || now >= w.start + window_) w = {now, 0};
  ++w.failures;
}

}  // namespace achilles::server
