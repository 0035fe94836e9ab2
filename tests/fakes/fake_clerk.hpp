#pragma once
// Clerk's Backend API as far as the session verifier uses it: GET /v1/jwks
// with the secret key, answering the key set the test sets. It counts its
// calls, so tests can show what does and does not reach Clerk.
#include <boost/json.hpp>
#include <atomic>
#include <mutex>
#include <string>

#include "fakes/blocking_http_fake.hpp"

namespace achilles::testing {

class FakeClerk {
public:
  explicit FakeClerk(std::string secret_key) : secret_key_(std::move(secret_key)) {}

  std::string url() const { return server_.url(); }
  int jwks_calls() const { return calls_; }
  void keys(boost::json::array keys) {
    std::lock_guard lock(mutex_);
    keys_ = std::move(keys);
  }
  void failing(bool on) { failing_ = on; }

private:
  void answer(const BlockingHttpFake::Request& request, boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    if (request.target() == "/v1/jwks") ++calls_;
    if (request[http::field::authorization] != "Bearer " + secret_key_)
      return BlockingHttpFake::json_reply(socket, 401, R"({"errors":[{"message":"Invalid authentication","code":"authentication_invalid"}]})");
    if (failing_) return BlockingHttpFake::json_reply(socket, 503, R"({"errors":[{"message":"Service unavailable"}]})");
    if (request.target() == "/v1/jwks" && request.method() == http::verb::get) {
      std::lock_guard lock(mutex_);
      return BlockingHttpFake::json_reply(socket, 200, boost::json::serialize(boost::json::object{{"keys", keys_}}));
    }
    BlockingHttpFake::json_reply(socket, 404, R"({"errors":[{"message":"not found"}]})");
  }

  std::string secret_key_;
  std::atomic<int> calls_{0};
  std::atomic<bool> failing_{false};
  std::mutex mutex_;
  boost::json::array keys_;
  BlockingHttpFake server_{[this](const auto& request, auto& socket) { answer(request, socket); }};  // last: stops first
};

}  // namespace achilles::testing
