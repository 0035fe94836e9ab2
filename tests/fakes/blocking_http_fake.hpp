#pragma once
// The listening part of the small HTTP fakes (Clerk, Microsoft Graph): a
// blocking server on 127.0.0.1, one request per connection, answered on its
// own thread by the fake's handler.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace achilles::testing {

class BlockingHttpFake {
public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  // Answers `request` on `socket` (with json_reply, or by hand).
  using Handler = std::function<void(const Request& request, boost::asio::ip::tcp::socket& socket)>;

  explicit BlockingHttpFake(Handler handler) : handler_(std::move(handler)) {
    acceptor_.open(boost::asio::ip::tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~BlockingHttpFake() {
    stopping_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(io_);
    wake.connect(acceptor_.local_endpoint(), ec);  // unblocks accept()
    thread_.join();
  }
  BlockingHttpFake(const BlockingHttpFake&) = delete;
  BlockingHttpFake& operator=(const BlockingHttpFake&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  bool stopping() const { return stopping_; }

  static void json_reply(boost::asio::ip::tcp::socket& socket, unsigned status, std::string body,
                         std::optional<std::string> retry_after = {}) {
    namespace http = boost::beast::http;
    http::response<http::string_body> response;
    response.version(11);
    response.keep_alive(false);
    response.result(status);
    response.set(http::field::content_type, "application/json");
    if (retry_after) response.set(http::field::retry_after, *retry_after);
    response.body() = std::move(body);
    response.prepare_payload();
    boost::system::error_code ec;
    http::write(socket, response, ec);
  }

private:
  void serve() {
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      boost::beast::flat_buffer buffer;
      Request request;
      boost::beast::http::read(socket, buffer, request, ec);
      if (!ec) handler_(request, socket);
    }
  }

  Handler handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace achilles::testing
