#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace achilles::server {

// Failed authentications per client address: after `limit` in one window,
// the address is refused (429) until the window ends, so a bearer token
// cannot be guessed at network speed.
class AuthThrottle {
public:
  explicit AuthThrottle(int limit = 20, std::chrono::seconds window = std::chrono::seconds(60))
      : limit_(limit), window_(window) {}

  // Seconds to wait when `address` is throttled now; nullopt when it may try.
  std::optional<std::int64_t> retry_after(const std::string& address);
  void failed(const std::string& address);

private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int failures = 0;
  };
  int limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

}  // namespace achilles::server
