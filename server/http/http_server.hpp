#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/exchange.hpp"

namespace achilles::server {

// What a request may cost before it is cut off or refused. Environment knobs
// (read by `achilles serve`): ACHILLES_MAX_BODY_BYTES, ACHILLES_REQUEST_TIMEOUT_MS.
struct HttpLimits {
  std::size_t body_bytes = 1024 * 1024;        // 413 beyond it; chunked bodies count the same
  std::size_t header_bytes = 16 * 1024;        // 431 beyond it
  std::chrono::milliseconds header_timeout{10'000};   // the whole header, from when a request is awaited
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds request_timeout{30'000};  // the handler's; 503 beyond it
  std::size_t connections = 1024;              // open at once, in all
  std::size_t connections_per_address = 64;
  std::size_t queued_requests = 64;            // waiting for a worker; 503 with Retry-After beyond it
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (tests)
  unsigned threads = 0;       // I/O threads and handler workers each; 0: one per core
  HttpLimits limits;
  // Called once when stopping begins, before requests under way are waited
  // for: work that would outlast the drain deadline is cut short here.
  std::function<void()> on_stopping;
};

// Called with a request's headers before its body is read: a response to
// send instead (401 for a caller who did not authenticate), and the body is
// never read; nullopt to go on.
using AdmissionCheck = std::function<std::optional<HttpResponse>(const HttpRequest& head)>;

// Asynchronous Beast HTTP/1.1 server with keep-alive. I/O threads only read,
// write and admit; handlers run on a bounded pool of workers off the I/O
// threads, so a slow request never delays another connection, and
// GET /api/health is answered on the I/O thread even when every worker is
// busy. Headers are read first under their own deadline and size cap, the
// admission check runs, and only then is the body read.
class HttpServer {
public:
  HttpServer(HttpServerOptions options, RequestHandler handler, AdmissionCheck admit = {});
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
