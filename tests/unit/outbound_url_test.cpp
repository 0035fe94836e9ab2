#include <catch2/catch.hpp>

#include "achilles/security/outbound_url.hpp"

using namespace achilles;

namespace {
std::vector<IpAddress> ips(std::initializer_list<const char*> texts) {
  std::vector<IpAddress> out;
  for (auto t : texts) out.push_back(*IpAddress::parse(t));
  return out;
}
std::vector<IpNetwork> nets(std::initializer_list<const char*> texts) {
  std::vector<IpNetwork> out;
  for (auto t : texts) out.push_back(*IpNetwork::parse(t));
  return out;
}
}  // namespace

TEST_CASE("public http(s) targets are allowed", "[security]") {
  CHECK_FALSE(refuse_outbound("https://es.example.com:9243", ips({"93.184.216.34"}), {}).has_value());
  CHECK_FALSE(refuse_outbound("http://93.184.216.34:9200/", {}, {}).has_value());
  CHECK_FALSE(refuse_outbound("https://[2606:2800:220:1::1]:9200", {}, {}).has_value());
}

TEST_CASE("cloud metadata and link-local targets are always refused, allow-list or not", "[security]") {
  const auto everything = nets({"0.0.0.0/0", "::/0"});
  CHECK(refuse_outbound("http://169.254.169.254/latest/meta-data", {}, everything).has_value());
  CHECK(refuse_outbound("http://metadata.google.internal/", ips({"8.8.8.8"}), everything).has_value());
  CHECK(refuse_outbound("http://[fe80::1]:9200", {}, everything).has_value());
  CHECK(refuse_outbound("http://[fd00:ec2::254]/", {}, everything).has_value());
  CHECK(refuse_outbound("http://[::ffff:169.254.169.254]/", {}, everything).has_value());
  CHECK(refuse_outbound("http://rebind.example", ips({"93.184.216.34", "169.254.169.254"}), everything).has_value());
}

TEST_CASE("private and loopback targets need the operator's allow-list", "[security]") {
  CHECK(refuse_outbound("http://10.1.2.3:9200", {}, {}).has_value());
  CHECK(refuse_outbound("http://localhost:9200", ips({"127.0.0.1"}), {}).has_value());
  CHECK(refuse_outbound("http://[::1]:9200", {}, {}).has_value());
  CHECK(refuse_outbound("http://172.20.0.5:9200", {}, {}).has_value());
  CHECK_FALSE(refuse_outbound("http://10.1.2.3:9200", {}, nets({"10.0.0.0/8"})).has_value());
  CHECK(refuse_outbound("http://10.1.2.3:9200", {}, nets({"10.2.0.0/16"})).has_value());
  CHECK_FALSE(refuse_outbound("http://es.corp:9200", ips({"192.168.4.20"}), nets({"192.168.4.0/24"})).has_value());
}

TEST_CASE("only http and https, and the URL must parse", "[security]") {
  CHECK(refuse_outbound("file:///etc/passwd", {}, {}).has_value());
  CHECK(refuse_outbound("gopher://93.184.216.34", {}, {}).has_value());
  CHECK(refuse_outbound("es.example.com:9200", {}, {}).has_value());
  CHECK(refuse_outbound("https://unresolved.example", {}, {}).has_value());
  CHECK(OutboundUrl::parse("https://user:pw@Es.Example.com:9200/x")->host == "es.example.com");
}

TEST_CASE("networks parse in CIDR form for both families", "[security]") {
  CHECK(IpNetwork::parse("10.0.0.0/8")->contains(*IpAddress::parse("10.255.0.1")));
  CHECK_FALSE(IpNetwork::parse("10.0.0.0/8")->contains(*IpAddress::parse("11.0.0.1")));
  CHECK(IpNetwork::parse("fd00::/8")->contains(*IpAddress::parse("fd12::5")));
  CHECK_FALSE(IpNetwork::parse("10.0.0.0/33").has_value());
  CHECK_FALSE(IpAddress::parse("1.2.3").has_value());
  CHECK_FALSE(IpAddress::parse("1::2::3").has_value());
}

TEST_CASE("URL hosts read as the C resolver reads them: octal, hex and short IPv4 forms", "[security]") {
  const auto loopback = *IpAddress::parse("127.0.0.1");
  for (const char* host : {"127.0.0.1", "0177.0.0.1", "0x7f.1", "127.1", "2130706433", "0x7f000001", "127.0.1", "0177.1"})
    CHECK(IpAddress::parse_host(host) == loopback);
  CHECK(IpAddress::parse_host("10.010.0.1") == *IpAddress::parse("10.8.0.1"));
  CHECK_FALSE(IpAddress::parse_host("es.example.com").has_value());
  CHECK_FALSE(IpAddress::parse_host("1.2.3.4.5").has_value());
  CHECK_FALSE(IpAddress::parse_host("256.1.1.1").has_value());
  CHECK_FALSE(IpAddress::parse_host("08.1.1.1").has_value());  // 8 is no octal digit
  CHECK_FALSE(IpAddress::parse("0177.0.0.1").has_value());     // strict parsing: not a dotted quad
}

TEST_CASE("the policy judges an address by the IPv4 address it embeds", "[security]") {
  const OutboundPolicy none;
  for (const char* a : {"::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "::ffff:127.0.0.1", "::ffff:10.1.2.3"}) {
    INFO(a);
    CHECK(none.refusal(*IpAddress::parse(a)).has_value());
  }
  const OutboundPolicy everything({*IpNetwork::parse("0.0.0.0/0"), *IpNetwork::parse("::/0")});
  for (const char* a : {"64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::", "::169.254.169.254", "224.0.0.251", "ff02::fb",
                        "255.255.255.255", "0.0.0.0", "::"}) {
    INFO(a);
    CHECK(everything.refusal(*IpAddress::parse(a)).has_value());
  }
  CHECK_FALSE(none.refusal(*IpAddress::parse("64:ff9b::5db8:d822")).has_value());  // NAT64 of a public address
  CHECK_FALSE(none.refusal(*IpAddress::parse("2606:2800:220:1::1")).has_value());
}

TEST_CASE("URLs lose their credentials before they are shown", "[security]") {
  CHECK(url_without_credentials("https://elastic:s3cret@es.corp:9200/x") == "https://es.corp:9200/x");
  CHECK(url_without_credentials("https://elastic:s3cret@es.corp:9200/x", "***@") == "https://***@es.corp:9200/x");
  CHECK(url_without_credentials("https://es.corp:9200/a@b") == "https://es.corp:9200/a@b");  // an @ in the path is no userinfo
  CHECK(url_without_credentials("https://a@b@es.corp/") == "https://es.corp/");
  CHECK(url_without_credentials("es.corp:9200") == "es.corp:9200");
}
