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
