#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "http/exchange.hpp"

namespace achilles::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (tests)
  unsigned threads = 0;       // 0: one per core
  std::size_t body_limit = 10 * 1024 * 1024;
};

// Asynchronous Beast HTTP/1.1 server with keep-alive, shaped after Beast's
// http_server_async example: one acceptor, a session per connection, every
// session on its own strand, `threads` workers running the io_context.
class HttpServer {
public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;  // the bound port
  void start();                // returns at once; workers run in the background
  void wait();                 // until stop() (or SIGINT/SIGTERM with stop_on_signals)
  void stop();
  void stop_on_signals();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace achilles::server
