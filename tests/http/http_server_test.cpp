#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "http/http_server.hpp"
#include "support/http_client.hpp"

using namespace achilles::server;
using namespace achilles::testing;

TEST_CASE("stopping lets a request under way finish, then refuses new connections", "[http][shutdown]") {
  std::promise<void> started;
  auto started_future = started.get_future();
  HttpServerOptions options;
  options.port = 0;
  options.threads = 2;
  HttpServer server(options, [&](const HttpRequest&) {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return HttpResponse{200, R"({"slow":true})", {}};
  });
  server.start();
  const auto port = server.port();
  auto reply = std::async(std::launch::async, [port] { return HttpClient(port).get("/slow"); });
  started_future.wait();
  server.stop();
  const Reply r = reply.get();
  CHECK(r.status == 200);
  CHECK(r.body == R"({"slow":true})");
  CHECK(r.header(boost::beast::http::field::connection) == "close");
  server.wait();
  CHECK_THROWS(HttpClient(port));  // the listener is gone
}

TEST_CASE("a reply carries the handler's headers once each, its own length, and never a line break from a header value",
          "[http][reply]") {
  HttpServerOptions options;
  options.port = 0;
  options.threads = 1;
  HttpServer server(options, [](const HttpRequest&) {
    return HttpResponse{201, R"({"made":true})",
                        {{"Vary", "Origin"}, {"X-Note", "first\r\nSet-Cookie: stolen=1"}, {"vary", "Accept"},
                         {"Content-Type", "text/csv; charset=utf-8"}, {"Content-Length", "9999"}}};
  });
  server.start();
  HttpClient client(server.port());
  const Reply r = client.get("/made");
  CHECK(r.status == 201);
  CHECK(r.body == R"({"made":true})");
  CHECK(r.header("Vary") == "Accept");  // a later header of the same name replaces the earlier
  CHECK(r.headers.count("Vary") == 1);
  CHECK(r.header("X-Note") == "first  Set-Cookie: stolen=1");
  CHECK(r.headers.count("Set-Cookie") == 0);
  CHECK(r.header(boost::beast::http::field::content_type) == "text/csv; charset=utf-8");
  CHECK(r.header(boost::beast::http::field::content_length) == "13");
  CHECK(r.header(boost::beast::http::field::server) == "achilles");

  const Reply head = client.head("/made");  // the same connection: kept alive
  CHECK(head.status == 201);
  CHECK(head.body.empty());
  CHECK(head.header(boost::beast::http::field::content_length) == "13");
  server.stop();
  server.wait();
}
