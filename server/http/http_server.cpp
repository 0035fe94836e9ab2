#include "http/http_server.hpp"

#include "achilles/log/log.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace achilles::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kDrainDeadline = std::chrono::seconds(8);  // below Docker's 10 s stop timeout

// Requests being handled right now, and whether the server is stopping: a
// stop waits for the former (up to kDrainDeadline) before ending the workers.
struct Drain {
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
};

http::response<http::string_body> to_beast(const HttpResponse& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "achilles");
  res.set(http::field::content_type, "application/json; charset=utf-8");
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = r.body;
  res.prepare_payload();
  return res;
}

HttpResponse plain_error(unsigned status, std::string_view message) {
  return {status, std::string(R"({"success":false,"error":")") + std::string(message) + "\"}", {}};
}

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket&& socket, const RequestHandler& handler, std::size_t body_limit, Drain& drain)
      : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit), drain_(drain) {}

  void run() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit) return reply(plain_error(413, "request entity too large"), 11, false);
    if (ec) return reply(plain_error(400, "Malformed HTTP request"), 11, false);

    ++drain_.in_flight;
    auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.authorization = std::string(req[http::field::authorization]);
    request.origin = std::string(req[http::field::origin]);
    request.content_type = std::string(req[http::field::content_type]);
    request.body = std::move(req.body());
    beast::error_code ignored;
    request.remote_address = stream_.socket().remote_endpoint(ignored).address().to_string(ignored);

    HttpResponse response;
    try {
      response = handler_(request);
    } catch (const std::exception& e) {
      log_event(LogLevel::Error, "http", std::string("unhandled: ") + e.what());
      response = plain_error(500, "Internal Server Error");
    }
    reply(response, req.version(), req.keep_alive() && !drain_.draining, true);
  }

  void reply(const HttpResponse& response, unsigned version, bool keep_alive, bool counted = false) {
    auto res = std::make_shared<http::response<http::string_body>>(to_beast(response, version, keep_alive));
    http::async_write(stream_, *res, [self = shared_from_this(), res, counted](beast::error_code ec, std::size_t) {
      if (counted) --self->drain_.in_flight;
      if (ec || !res->keep_alive() || self->drain_.draining) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const RequestHandler& handler_;
  std::size_t body_limit_;
  Drain& drain_;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  Drain drain;
  asio::io_context io;
  std::optional<asio::steady_timer> drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;

  void finish_when_drained() {
    if (drain.in_flight == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      io.stop();
      return;
    }
    drain_timer->expires_after(std::chrono::milliseconds(20));
    drain_timer->async_wait([this](beast::error_code) { finish_when_drained(); });
  }
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::vector<std::thread> workers;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(socket), handler, options.body_limit, drain)->run();
      accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  const tcp::endpoint endpoint{asio::ip::make_address(impl_->options.host), impl_->options.port};
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
}

HttpServer::~HttpServer() {
  stop();
  wait();
}

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::start() {
  impl_->accept();
  unsigned n = impl_->options.threads ? impl_->options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) impl_->workers.emplace_back([this] { impl_->io.run(); });
}

void HttpServer::stop_on_signals() {
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGTERM);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) stop();
  });
}

void HttpServer::stop() {
  asio::post(impl_->io, [this] {
    if (impl_->drain.draining.exchange(true)) return;
    beast::error_code ec;
    impl_->acceptor.close(ec);  // no new connections; requests under way finish
    impl_->signals.cancel(ec);
    impl_->drain_deadline = std::chrono::steady_clock::now() + kDrainDeadline;
    impl_->drain_timer.emplace(impl_->io);
    impl_->finish_when_drained();
  });
}

void HttpServer::wait() {
  for (auto& t : impl_->workers)
    if (t.joinable()) t.join();
  impl_->workers.clear();
}

}  // namespace achilles::server
