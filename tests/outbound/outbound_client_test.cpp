// The one outbound client: a refused target is never connected to, however
// its URL spells the address; no proxy from the environment; no redirects;
// an answer too large or never ending is cut off.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "achilles/http/outbound_client.hpp"
#include "support/loopback_policy.hpp"
#include "support/tcp_listener.hpp"

using namespace achilles;
using namespace achilles::http;
using achilles::testing::loopback_policy;
using achilles::testing::TcpListener;

namespace {

OutboundFailure::Kind failure_of(const OutboundClient& client, const std::string& url) {
  try {
    client.send({"GET", url, {}, "", false});
  } catch (const OutboundFailure& e) {
    return e.kind();
  }
  FAIL("expected no answer from " << url);
  throw std::logic_error("unreachable");
}

// Ways of writing 127.0.0.1 that a resolver accepts.
std::vector<std::string> loopback_spellings(unsigned short port) {
  const std::string p = ":" + std::to_string(port) + "/";
  return {"http://127.0.0.1" + p,   "http://localhost" + p,    "http://0177.0.0.1" + p, "http://0x7f.1" + p,
          "http://127.1" + p,       "http://2130706433" + p,   "http://0x7f000001" + p, "http://[::ffff:127.0.0.1]" + p,
          "http://[::ffff:7f00:1]" + p, "http://127.000.000.001" + p};
}

}  // namespace

TEST_CASE("every spelling of loopback is refused before a connection is made", "[outbound][security]") {
  TcpListener listener;
  const OutboundClient client{OutboundPolicy{}, {std::chrono::seconds(2), std::chrono::seconds(2), 1 << 20}};
  for (const auto& url : loopback_spellings(listener.port())) {
    INFO(url);
    CHECK(failure_of(client, url) == OutboundFailure::Kind::Refused);
    CHECK(client.refusal(url).has_value());
  }
  CHECK(listener.connections() == 0);
}

TEST_CASE("the same spellings reach the listener when loopback is allowed: the test can see a connection",
          "[outbound][security]") {
  TcpListener listener;
  const OutboundClient client{loopback_policy(), {std::chrono::seconds(2), std::chrono::seconds(2), 1 << 20}};
  int answered = 0;
  for (const auto& url : loopback_spellings(listener.port())) {
    INFO(url);
    try {
      answered += client.send({"GET", url, {}, "", false}).status == 200;
    } catch (const OutboundFailure& e) {
      // IPv4-mapped IPv6 may be unroutable on a host without IPv6; never refused by the policy.
      CHECK(e.kind() != OutboundFailure::Kind::Refused);
    }
  }
  CHECK(answered >= 8);
  CHECK(listener.connections() == answered);
}

TEST_CASE("addresses that embed a forbidden IPv4 address, and never-allowed ranges, are refused", "[outbound][security]") {
  const auto everything = OutboundPolicy({*IpNetwork::parse("0.0.0.0/0"), *IpNetwork::parse("::/0")});
  const OutboundClient nothing_private{OutboundPolicy{}, {std::chrono::seconds(1), std::chrono::seconds(1), 1 << 20}};
  const OutboundClient all_allowed{everything, {std::chrono::seconds(1), std::chrono::seconds(1), 1 << 20}};
  for (const char* url : {"http://[::127.0.0.1]:9/", "http://[64:ff9b::7f00:1]:9/", "http://[2002:7f00:1::]:9/",
                          "http://[::1]:9/", "http://[::ffff:10.0.0.1]:9/", "http://10.0.0.1:9/", "http://192.168.1.1:9/"}) {
    INFO(url);
    CHECK(failure_of(nothing_private, url) == OutboundFailure::Kind::Refused);
  }
  // Link-local, metadata, unspecified, multicast and broadcast: refused even when every network is allowed.
  for (const char* url : {"http://169.254.169.254/latest/meta-data", "http://[fe80::1]:9/", "http://0.0.0.0:9/",
                          "http://0:9/", "http://224.0.0.1:9/", "http://[ff02::1]:9/", "http://255.255.255.255:9/",
                          "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/",
                          "http://0xa9fea9fe/", "http://metadata.google.internal/"}) {
    INFO(url);
    CHECK(failure_of(all_allowed, url) == OutboundFailure::Kind::Refused);
  }
}

TEST_CASE("only http and https go out", "[outbound][security]") {
  const OutboundClient client{loopback_policy()};
  for (const char* url : {"file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://127.0.0.1/", "dict://127.0.0.1:11211/"})
    CHECK(failure_of(client, url) == OutboundFailure::Kind::Refused);
}

TEST_CASE("a proxy in the environment is not used", "[outbound][security]") {
  TcpListener target, proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "all_proxy", "ALL_PROXY"}) ::setenv(name, proxy_url.c_str(), 1);
  ::unsetenv("no_proxy");
  ::unsetenv("NO_PROXY");
  const OutboundClient client{loopback_policy()};
  const auto answer = client.send({"GET", "http://127.0.0.1:" + std::to_string(target.port()) + "/", {}, "", false});
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "all_proxy", "ALL_PROXY"}) ::unsetenv(name);
  CHECK(answer.status == 200);
  CHECK(target.connections() == 1);
  CHECK(proxy.connections() == 0);
}

TEST_CASE("redirects are never followed", "[outbound][security]") {
  TcpListener elsewhere;
  TcpListener redirecting(TcpListener::Answer::Redirect, "http://127.0.0.1:" + std::to_string(elsewhere.port()) + "/");
  const OutboundClient client{loopback_policy()};
  const auto answer = client.send({"GET", "http://127.0.0.1:" + std::to_string(redirecting.port()) + "/", {}, "", false});
  CHECK(answer.status == 302);
  CHECK(elsewhere.connections() == 0);
}

TEST_CASE("an answer larger than the cap is cut off, one that never ends times out", "[outbound]") {
  TcpListener huge(TcpListener::Answer::Huge), endless(TcpListener::Answer::Endless);
  const OutboundClient client{loopback_policy(), {std::chrono::seconds(2), std::chrono::milliseconds(700), 1 << 20}};
  CHECK(failure_of(client, "http://127.0.0.1:" + std::to_string(huge.port()) + "/") == OutboundFailure::Kind::TooLarge);
  const auto started = std::chrono::steady_clock::now();
  CHECK(failure_of(client, "http://127.0.0.1:" + std::to_string(endless.port()) + "/") == OutboundFailure::Kind::TimedOut);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

TEST_CASE("failures name the host, never the URL's credentials", "[outbound][security]") {
  const OutboundClient client{OutboundPolicy{}};
  try {
    client.send({"GET", "http://admin:s3cret@127.0.0.1:9/", {}, "", false});
    FAIL("expected a refusal");
  } catch (const OutboundFailure& e) {
    CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
    CHECK(std::string(e.what()).find("127.0.0.1") != std::string::npos);
  }
}
