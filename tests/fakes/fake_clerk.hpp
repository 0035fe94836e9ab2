#pragma once
// Clerk's Backend API as far as the session verifier uses it: GET /v1/jwks
// with the secret key, answering the key set the test sets. It counts its
// calls, so tests can show what does and does not reach Clerk.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace achilles::testing {

class FakeClerk {
public:
  explicit FakeClerk(std::string secret_key) : secret_key_(std::move(secret_key)) {
    acceptor_.open(boost::asio::ip::tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeClerk() {
    stopping_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(io_);
    wake.connect(acceptor_.local_endpoint(), ec);  // unblocks accept()
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  int jwks_calls() const { return calls_; }
  void keys(boost::json::array keys) {
    std::lock_guard lock(mutex_);
    keys_ = std::move(keys);
  }
  void failing(bool on) { failing_ = on; }

private:
  void serve() {
    namespace http = boost::beast::http;
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      http::response<http::string_body> response;
      response.version(11);
      response.keep_alive(false);
      response.set(http::field::content_type, "application/json");
      if (request.target() == "/v1/jwks") ++calls_;
      if (request[http::field::authorization] != "Bearer " + secret_key_) {
        response.result(http::status::unauthorized);
        response.body() = R"({"errors":[{"message":"Invalid authentication","code":"authentication_invalid"}]})";
      } else if (failing_) {
        response.result(http::status::service_unavailable);
        response.body() = R"({"errors":[{"message":"Service unavailable"}]})";
      } else if (request.target() == "/v1/jwks" && request.method() == http::verb::get) {
        std::lock_guard lock(mutex_);
        response.body() = boost::json::serialize(boost::json::object{{"keys", keys_}});
      } else {
        response.result(http::status::not_found);
        response.body() = R"({"errors":[{"message":"not found"}]})";
      }
      response.prepare_payload();
      http::write(socket, response, ec);
    }
  }

  std::string secret_key_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> calls_{0};
  std::atomic<bool> failing_{false};
  std::mutex mutex_;
  boost::json::array keys_;
};

}  // namespace achilles::testing
