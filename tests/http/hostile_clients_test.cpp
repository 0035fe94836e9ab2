// The HTTP layer under clients that try to cost it time or memory: slow
// headers, bodies without credentials, idle connections by the hundred,
// slow handlers, floods of bad tokens.
#include <catch2/catch.hpp>

#include <boost/asio.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/http_server.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::server;
using namespace achilles::testing;
namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

HttpResponse health_or(const HttpRequest& r, std::chrono::milliseconds slow) {
  if (r.target == "/api/health") return {200, R"({"status":"ok"})", {}};
  std::this_thread::sleep_for(slow);
  return {200, R"({"slow":true})", {}};
}

asio::ip::tcp::socket connect_to(asio::io_context& io, unsigned short port) {
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port});
  return s;
}

// Seconds until the server closes `s` (reading whatever it sends), at most `limit`.
double seconds_until_closed(asio::ip::tcp::socket& s, std::chrono::seconds limit) {
  const auto start = Steady::now();
  s.non_blocking(true);
  char buffer[256];
  while (Steady::now() - start < limit) {
    boost::system::error_code ec;
    s.read_some(asio::buffer(buffer), ec);
    if (ec && ec != asio::error::would_block) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration<double>(Steady::now() - start).count();
}

}  // namespace

TEST_CASE("a header sent a byte at a time is cut off at the header deadline", "[http][hostile]") {
  HttpServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.limits.header_timeout = std::chrono::milliseconds(800);
  HttpServer server(options, [](const HttpRequest& r) { return health_or(r, {}); });
  server.start();
  asio::io_context io;
  auto s = connect_to(io, server.port());
  const auto started = Steady::now();
  std::atomic<bool> stop{false};
  std::thread drip([&] {
    const std::string header = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    for (char c : header) {
      boost::system::error_code ec;
      asio::write(s, asio::buffer(&c, 1), ec);
      if (ec || stop) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const double closed_after = seconds_until_closed(s, std::chrono::seconds(10));
  stop = true;
  drip.join();
  CHECK(closed_after < 3.0);
  CHECK(std::chrono::duration<double>(Steady::now() - started).count() < 5.0);
}

TEST_CASE("an unauthenticated body is answered 401 without being read", "[http][hostile][security]") {
  TestServer server;
  // 900 KB announced, none sent: the 401 must come from the header alone.
  const auto reply = server.client().raw(
      "POST /api/analytics/executions/archive HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 921600\r\n\r\n");
  CHECK(reply.status == 401);
  CHECK(reply.header(boost::beast::http::field::connection) == "close");
  // A bad token too.
  const auto bad = server.client().raw(
      "POST /api/analytics/executions/archive HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
      "Content-Length: 921600\r\n\r\n");
  CHECK(bad.status == 401);
}

TEST_CASE("hundreds of idle connections do not delay /api/health", "[http][hostile]") {
  HttpServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.limits.connections_per_address = 2000;
  HttpServer server(options, [](const HttpRequest& r) { return health_or(r, {}); });
  server.start();
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> idle;
  for (int i = 0; i < 300; ++i) idle.push_back(connect_to(io, server.port()));
  const auto started = Steady::now();
  CHECK(HttpClient(server.port()).get("/api/health").status == 200);
  CHECK(std::chrono::duration<double>(Steady::now() - started).count() < 5.0);  // the idle ones wait 10 s
}

TEST_CASE("slow handlers do not delay /api/health, beyond the queue the answer is 503 with Retry-After",
          "[http][hostile]") {
  std::atomic<int> running{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  HttpServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.limits.queued_requests = 3;
  HttpServer server(options, [&](const HttpRequest& r) -> HttpResponse {
    if (r.target == "/api/health") return {200, R"({"status":"ok"})", {}};
    ++running;
    released.wait();  // slow until the test says so
    return {200, R"({"slow":true})", {}};
  });
  server.start();
  const auto port = server.port();
  auto slow = [port] { return std::async(std::launch::async, [port] { return HttpClient(port).get("/slow"); }); };
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 2; ++i) replies.push_back(slow());
  while (running < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // both workers busy
  for (int i = 0; i < 3; ++i) replies.push_back(slow());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the three wait in the queue
  const Reply turned_away = HttpClient(port).get("/slow");
  CHECK(turned_away.status == 503);
  CHECK(turned_away.header(boost::beast::http::field::retry_after) == "1");
  CHECK(turned_away.body == R"({"success":false,"error":"The server is busy; retry shortly"})");
  const auto started = Steady::now();
  CHECK(HttpClient(port).get("/api/health").status == 200);
  CHECK(std::chrono::duration<double>(Steady::now() - started).count() < 1.0);
  release.set_value();
  for (auto& f : replies) CHECK(f.get().status == 200);
}

TEST_CASE("a request past the request timeout answers 503 JSON", "[http][hostile]") {
  HttpServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.limits.request_timeout = std::chrono::milliseconds(200);
  HttpServer server(options, [](const HttpRequest& r) { return health_or(r, std::chrono::milliseconds(4000)); });
  server.start();
  const auto started = Steady::now();
  const auto r = HttpClient(server.port()).get("/slow");
  CHECK(r.status == 503);
  CHECK(r.body == R"({"success":false,"error":"The request took too long"})");
  CHECK(std::chrono::duration<double>(Steady::now() - started).count() < 3.5);  // not the handler's 4 s
}

TEST_CASE("connections over the per-address cap are closed at once", "[http][hostile]") {
  HttpServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.limits.connections_per_address = 2;
  HttpServer server(options, [](const HttpRequest& r) { return health_or(r, {}); });
  server.start();
  asio::io_context io;
  auto a = connect_to(io, server.port());
  auto b = connect_to(io, server.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto c = connect_to(io, server.port());
  CHECK(seconds_until_closed(c, std::chrono::seconds(12)) < 5.0);  // not the 10 s header deadline
  a.close();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(HttpClient(server.port()).get("/api/health").status == 200);  // a place freed
}

TEST_CASE("HEAD gets the headers a GET would, without a body", "[http]") {
  TestServer server;
  auto client = server.client();
  const auto get = client.get("/api/analytics/defense-score", "admin-token");
  const auto head = client.head("/api/analytics/defense-score", "admin-token");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header(boost::beast::http::field::content_length) == std::to_string(get.body.size()));
  CHECK(client.head("/api/health").status == 200);
}

TEST_CASE("failed authentications are throttled per address with 429 and Retry-After", "[http][hostile][security]") {
  TestServer server;
  auto client = server.client();
  for (int i = 0; i < 20; ++i) REQUIRE(client.get("/api/analytics/defense-score", "guess-" + std::to_string(i)).status == 401);
  const auto throttled = client.get("/api/analytics/defense-score", "guess-21");
  CHECK(throttled.status == 429);
  CHECK(std::stoi(throttled.header(boost::beast::http::field::retry_after)) > 0);
  CHECK(throttled.body == R"({"success":false,"error":"Too many failed authentications; retry later"})");
  // Even the right token waits out the window from that address.
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 429);
  CHECK(client.get("/api/health").status == 200);  // health needs no credentials
}

TEST_CASE("chunked framing is capped: long chunk extensions and endless trailers are refused", "[http][hostile][limits]") {
  TestServer server;
  const std::string head =
      "POST /api/risk-acceptances/lookup HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer admin-token\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  // A chunk whose extensions run past 1 KB.
  const auto extended = server.client().raw(head + "2;ext=" + std::string(2000, 'a') + "\r\n{}\r\n0\r\n\r\n");
  CHECK(extended.status == 400);
  CHECK(extended.body == R"({"success":false,"error":"Chunk extensions too large or malformed"})");
  // Trailer fields past the read buffer's cap (the header's 16 KB and 8 KB more).
  std::string trailers;
  while (trailers.size() < 40 * 1024) trailers += "X-Trailer-" + std::to_string(trailers.size()) + ": " + std::string(100, 'b') + "\r\n";
  const auto trailed = server.client().raw(head + "2\r\n{}\r\n0\r\n" + trailers + "\r\n");
  CHECK(trailed.status == 431);
  // A chunked body within bounds still works.
  const auto fine = server.client().raw(head + "2;name=value\r\n{}\r\n0\r\nX-Trailer: ok\r\n\r\n");
  CHECK(fine.status == 400);  // read in full and judged by the route: an empty lookup body
  CHECK(fine.body.find("Chunk") == std::string::npos);
  CHECK(server.client().get("/api/health").status == 200);
}

TEST_CASE("query strings are bounded: parameter count and value length", "[http][hostile][limits]") {
  TestServer server;
  const auto long_value = server.client().get("/api/analytics/defense-score?tests=" + std::string(9000, 'a'), "admin-token");
  CHECK(long_value.status == 400);
  CHECK(long_value.body == R"j({"success":false,"error":"Query parameter 'tests' is too long (at most 8192 bytes)"})j");
  std::string many = "/api/analytics/defense-score?";
  for (int i = 0; i < 101; ++i) many += "k" + std::to_string(i) + "=1&";
  const auto crowded = server.client().get(many, "admin-token");
  CHECK(crowded.status == 400);
  CHECK(crowded.body == R"j({"success":false,"error":"Too many query parameters (at most 100)"})j");
  CHECK(server.client().get("/api/analytics/defense-score?tests=" + std::string(8000, 'a'), "admin-token").status == 200);
}
