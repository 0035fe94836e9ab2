#include "http/http_server.hpp"

#include "achilles/metrics/process_metrics.hpp"

#include <fmt/format.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "achilles/log/log.hpp"
#include "http/request_reading.hpp"

namespace achilles::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kDrainDeadline = std::chrono::seconds(8);  // below Docker's 10 s stop timeout

bool same_name(std::string_view a, std::string_view b) {
  return beast::iequals(a, b);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  // Values are the server's own; a line break would still split the reply.
  for (char ch : value) out += (ch == '\r' || ch == '\n') ? ' ' : ch;
  out += "\r\n";
}

// The reply as the bytes sent: status line, headers (a later header of the
// same name replaces an earlier one, a Content-Type replaces the JSON
// default), Content-Length and the body. Written by hand rather than through
// Beast's serializer: for the small answers of a busy server, walking a
// dozen fields through buffer views cost more than building one string.
// `length`: the Content-Length; none for a streamed body, sent chunked
// (HTTP/1.1) or until the connection closes (HTTP/1.0).
std::string wire_head(const HttpResponse& r, unsigned version, bool keep_alive, std::optional<std::size_t> length,
                      std::size_t reserve) {
  std::string out;
  out.reserve(512 + reserve);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += http::obsolete_reason(static_cast<http::status>(r.status));
  out += "\r\nServer: achilles\r\n";
  auto replaced_later = [&](std::size_t i) {
    for (std::size_t j = i + 1; j < r.headers.size(); ++j)
      if (same_name(r.headers[j].first, r.headers[i].first)) return true;
    return false;
  };
  bool content_type = false;
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    const auto& [name, value] = r.headers[i];
    if (same_name(name, "Content-Length") || same_name(name, "Connection") || same_name(name, "Server") || replaced_later(i)) continue;
    content_type |= same_name(name, "Content-Type");
    append_header(out, name, value);
  }
  if (!content_type) out += "Content-Type: application/json; charset=utf-8\r\n";
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (length) {
    out += "Content-Length: ";
    out += std::to_string(*length);
    out += "\r\n";
  } else if (version != 10) {
    out += "Transfer-Encoding: chunked\r\n";
  }
  out += "\r\n";
  return out;
}

std::string wire_reply(const HttpResponse& r, unsigned version, bool keep_alive, bool head_only) {
  // For HEAD, the length a GET would send, and no body.
  std::string out = wire_head(r, version, keep_alive, r.body.size(), head_only ? 0 : r.body.size());
  if (!head_only) out += r.body;
  return out;
}

// One piece of a streamed body as sent: a chunk (HTTP/1.1), or the bytes
// themselves (HTTP/1.0, ended by closing). `piece` none: the last chunk.
std::string wire_piece(const std::optional<std::string>& piece, unsigned version) {
  if (version == 10) return piece.value_or("");
  if (!piece) return "0\r\n\r\n";
  return fmt::format("{:x}\r\n", piece->size()) + *piece + "\r\n";
}

bool is_health(const HttpRequest& r) {
  return (r.method == "GET" || r.method == "HEAD") && (r.target == "/api/health" || r.target.starts_with("/api/health?"));
}

}  // namespace

// What the sessions share: limits, the handler and its worker pool, the
// connection counts, and the drain on stop.
struct ServerState {
  HttpServerOptions options;
  RequestHandler handler;
  AdmissionCheck admit;
  std::unique_ptr<asio::thread_pool> workers;
  std::atomic<std::size_t> queued{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::mutex connections_mutex;
  std::size_t connections = 0;
  std::map<std::string, std::size_t> per_address;

  // Admits a new connection from `address`, or refuses it over a cap.
  bool open_connection(const std::string& address) {
    std::lock_guard lock(connections_mutex);
    auto& mine = per_address[address];
    if (connections >= options.limits.connections || mine >= options.limits.connections_per_address) {
      if (mine == 0) per_address.erase(address);
      return false;
    }
    ++connections;
    ++mine;
    return true;
  }
  void close_connection(const std::string& address) {
    std::lock_guard lock(connections_mutex);
    --connections;
    if (auto it = per_address.find(address); it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket&& socket, std::shared_ptr<ServerState> state, std::string address)
      : stream_(std::move(socket)),
        request_timer_(stream_.get_executor()),
        buffer_(read_buffer_bytes(state->options.limits)),
        state_(std::move(state)),
        address_(std::move(address)) {}
  ~Session() { state_->close_connection(address_); }

  void run() { asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this())); }

private:
  const HttpLimits& limits() const { return state_->options.limits; }

  void read_header() {
    parser_.emplace();
    limit_parser(*parser_, limits(), chunk_check_);
    stream_.expires_after(limits().header_timeout);  // a header sent a byte a second is cut off here
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return refuse(ec);
    const auto& req = parser_->get();
    request_ = request_head(req, address_);
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    head_only_ = req.method() == http::verb::head;  // answered as GET, sent without its body

    // Who may send a body is decided before it is read: an unauthenticated
    // caller never makes the server buffer one.
    // The connection stays open only when no unread body is left on it.
    if (state_->admit)
      if (auto refusal = state_->admit(request_)) return reply(*refusal, keep_alive_ && parser_->is_done());
    if (const auto length = parser_->content_length(); length && *length > limits().body_bytes) {
      metrics::ProcessMetrics::process().request_rejected("body_too_large");
      return reply(error_reply(413, "request entity too large"), false);
    }
    if (parser_->is_done()) return dispatch();
    stream_.expires_after(limits().body_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return refuse(ec);
    dispatch();
  }

  // A read that failed: answered when there is something to say, and the
  // connection closes either way (what is left on it cannot be trusted).
  void refuse(const beast::error_code& ec) {
    if (auto answer = answer_to_read_error(ec)) {
      metrics::ProcessMetrics::process().request_rejected(answer->status == 413   ? "body_too_large"
                                                          : answer->status == 431 ? "headers_too_large"
                                                          : answer->status == 408 ? "read_timeout"
                                                                                  : "malformed");
      return reply(*answer, false);
    }
    close();
  }

  void dispatch() {
    request_.body = std::move(parser_->get().body());
    const bool keep_alive = keep_alive_ && !state_->draining;
    if (is_health(request_)) return reply(run_handler(request_), keep_alive);  // cheap: on the I/O thread, never queued
    if (state_->queued.fetch_add(1) >= limits().queued_requests) {
      --state_->queued;
      metrics::ProcessMetrics::process().request_rejected("queue_full");
      HttpResponse busy = error_reply(503, "The server is busy; retry shortly");
      busy.headers.emplace_back("Retry-After", "1");
      return reply(busy, keep_alive);
    }
    ++state_->in_flight;
    auto done = std::make_shared<bool>(false);  // touched on this session's strand only
    request_timer_.expires_after(limits().request_timeout);
    request_timer_.async_wait([self = shared_from_this(), done](beast::error_code ec) {
      if (ec || *done) return;
      *done = true;
      --self->state_->in_flight;
      metrics::ProcessMetrics::process().request_rejected("request_timeout");
      HttpResponse late = error_reply(503, "The request took too long");
      late.headers.emplace_back("Retry-After", "5");
      self->reply(late, false);
    });
    asio::post(*state_->workers, [self = shared_from_this(), done, keep_alive, request = request_]() {
      --self->state_->queued;
      HttpResponse response = self->run_handler(request);
      asio::post(self->stream_.get_executor(), [self, done, keep_alive, response = std::move(response)]() {
        if (*done) return;  // the timeout answered already
        *done = true;
        self->request_timer_.cancel();
        --self->state_->in_flight;
        self->reply(response, keep_alive);
      });
    });
  }

  HttpResponse run_handler(const HttpRequest& request) const {
    try {
      return state_->handler(request);
    } catch (const std::exception& e) {
      log_event(LogLevel::Error, "http", std::string("unhandled: ") + e.what());
      return error_reply(500, "Internal Server Error");
    }
  }

  void reply(const HttpResponse& response, bool keep_alive) {
    if (response.next_chunk) return stream(response, keep_alive);
    keep_alive = keep_alive && !state_->draining;  // a stopping server closes after each answer
    auto bytes = std::make_shared<std::string>(wire_reply(response, version_, keep_alive, head_only_));
    stream_.expires_after(limits().write_timeout);  // the reply's own deadline
    asio::async_write(stream_, asio::buffer(*bytes), [self = shared_from_this(), bytes, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive || self->state_->draining) return self->close();
      self->read_header();
    });
  }

  // A streamed body: the head, then each piece the producer gives, asked
  // for on the worker pool (it reads the store) and written here. It counts
  // as in flight until its last piece, so a stopping server lets it finish.
  void stream(const HttpResponse& response, bool keep_alive) {
    keep_alive = keep_alive && !state_->draining && version_ != 10;  // HTTP/1.0: the close ends the body
    auto head = std::make_shared<std::string>(wire_head(response, version_, keep_alive, std::nullopt, 0));
    auto producer = std::make_shared<std::function<std::optional<std::string>()>>(response.next_chunk);
    ++state_->in_flight;
    stream_.expires_after(limits().write_timeout);
    asio::async_write(stream_, asio::buffer(*head),
                      [self = shared_from_this(), head, producer, keep_alive](beast::error_code ec, std::size_t) {
                        if (ec || self->head_only_) return self->end_stream(!ec && keep_alive);
                        self->stream_piece(producer, keep_alive);
                      });
  }

  void stream_piece(std::shared_ptr<std::function<std::optional<std::string>()>> producer, bool keep_alive) {
    asio::post(*state_->workers, [self = shared_from_this(), producer, keep_alive]() {
      std::optional<std::string> piece;
      bool failed = false;
      try {
        piece = (*producer)();
      } catch (const std::exception& e) {
        failed = true;
        log_event(LogLevel::Error, "http", std::string("a streamed answer failed: ") + e.what());
      }
      asio::post(self->stream_.get_executor(), [self, producer, keep_alive, failed, piece = std::move(piece)]() {
        if (failed) return self->end_stream(false);  // cut: no last chunk, so the client sees the failure
        if (piece && piece->empty()) return self->stream_piece(producer, keep_alive);  // "0" would end it
        auto bytes = std::make_shared<std::string>(wire_piece(piece, self->version_));
        const bool last = !piece;
        self->stream_.expires_after(self->limits().write_timeout);
        asio::async_write(self->stream_, asio::buffer(*bytes),
                          [self, bytes, producer, keep_alive, last](beast::error_code ec, std::size_t) {
                            if (ec) return self->end_stream(false);
                            if (last) return self->end_stream(keep_alive);
                            self->stream_piece(producer, keep_alive);
                          });
      });
    });
  }

  void end_stream(bool keep_alive) {
    --state_->in_flight;
    if (!keep_alive || state_->draining) return close();
    read_header();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  asio::steady_timer request_timer_;
  beast::flat_buffer buffer_;  // capped: see read_buffer_bytes
  ChunkExtensionCheck chunk_check_;
  std::optional<RequestParser> parser_;
  std::shared_ptr<ServerState> state_;
  std::string address_;
  HttpRequest request_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_only_ = false;
};

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state = std::make_shared<ServerState>();
  asio::io_context io;
  std::optional<asio::steady_timer> drain_timer;
  std::optional<asio::steady_timer> accept_backoff;
  std::chrono::steady_clock::time_point drain_deadline;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::vector<std::thread> io_threads;

  void finish_when_drained() {
    if (state->in_flight == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      io.stop();
      return;
    }
    drain_timer->expires_after(std::chrono::milliseconds(20));
    drain_timer->async_wait([this](beast::error_code) { finish_when_drained(); });
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
        // Out of file descriptors: wait for connections to close instead of spinning.
        accept_backoff.emplace(io);
        accept_backoff->expires_after(std::chrono::milliseconds(100));
        accept_backoff->async_wait([this](beast::error_code) { accept(); });
        return;
      }
      if (!ec) {
        beast::error_code ignored;
        std::string address = socket.remote_endpoint(ignored).address().to_string(ignored);
        if (state->open_connection(address))
          std::make_shared<Session>(std::move(socket), state, std::move(address))->run();
        else
          socket.close(ignored);  // over the cap: refused at once, nothing read
      }
      accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, AdmissionCheck admit)
    : impl_(std::make_unique<Impl>()) {
  auto& s = *impl_->state;
  s.options = std::move(options);
  s.handler = std::move(handler);
  s.admit = std::move(admit);
  const tcp::endpoint endpoint{asio::ip::make_address(s.options.host), s.options.port};
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
  auto& s = *impl_->state;
  const unsigned n = s.options.threads ? s.options.threads : std::max(1u, std::thread::hardware_concurrency());
  s.workers = std::make_unique<asio::thread_pool>(n);
  impl_->accept();
  for (unsigned i = 0; i < n; ++i) impl_->io_threads.emplace_back([this] { impl_->io.run(); });
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
    if (impl_->state->draining.exchange(true)) return;
    if (impl_->state->options.on_stopping) impl_->state->options.on_stopping();
    beast::error_code ec;
    impl_->acceptor.close(ec);  // no new connections; requests under way finish
    impl_->signals.cancel(ec);
    impl_->drain_deadline = std::chrono::steady_clock::now() + kDrainDeadline;
    impl_->drain_timer.emplace(impl_->io);
    impl_->finish_when_drained();
  });
}

void HttpServer::wait() {
  for (auto& t : impl_->io_threads)
    if (t.joinable()) t.join();
  impl_->io_threads.clear();
  if (impl_->state->workers) impl_->state->workers->join();
}

}  // namespace achilles::server
