#pragma once
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>

namespace achilles::testing {

struct Reply {
  unsigned status = 0;
  std::string body;
  boost::beast::http::fields headers;
  std::string header(boost::beast::http::field f) const { return std::string(headers[f]); }
  std::string header(std::string_view name) const { return std::string(headers[name]); }
};

// A blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1.
class HttpClient {
public:
  explicit HttpClient(unsigned short port) : stream_(io_) {
    stream_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  Reply request(boost::beast::http::verb verb, const std::string& target, const std::string& token = "",
                const std::string& body = "", const std::string& content_type = "application/json") {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    return read_reply();
  }

  Reply get(const std::string& target, const std::string& token = "") {
    return request(boost::beast::http::verb::get, target, token);
  }

  // A HEAD request: the answer has headers only.
  Reply head(const std::string& target, const std::string& token = "") {
    namespace http = boost::beast::http;
    http::request<http::empty_body> req{http::verb::head, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    http::write(stream_, req);
    return read_reply(true);
  }

  // Writes `bytes` as they are and reads one response.
  Reply raw(const std::string& bytes) {
    boost::asio::write(stream_.socket(), boost::asio::buffer(bytes));
    return read_reply();
  }

private:
  Reply read_reply(bool head = false) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    http::read(stream_, buffer, parser);
    auto res = parser.release();
    Reply reply{res.result_int(), res.body(), {}};
    for (const auto& f : res) reply.headers.set(f.name_string(), f.value());
    return reply;
  }

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
};

}  // namespace achilles::testing
