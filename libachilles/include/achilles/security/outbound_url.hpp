#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace achilles {

// An IPv4 or IPv6 address (IPv4 stored as ::ffff:a.b.c.d) and CIDR networks.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  static std::optional<IpAddress> parse(std::string_view text);
};

struct IpNetwork {
  IpAddress base;
  int prefix = 128;  // in IPv6 terms; a /8 IPv4 network is /104
  static std::optional<IpNetwork> parse(std::string_view cidr);  // "10.0.0.0/8", "fd00::/8", "192.168.1.5"
  bool contains(const IpAddress& a) const;
};

// The parts of an outbound URL the guard needs.
struct OutboundUrl {
  std::string scheme;  // lowercase
  std::string host;    // without brackets
  static std::optional<OutboundUrl> parse(std::string_view url);
};

// Where the server may connect on an administrator's behalf (the
// Elasticsearch node of the settings): http(s) only; never cloud metadata
// endpoints or link-local addresses; loopback and private ranges only when
// the operator allow-lists them (on-premises clusters). `resolved` are the
// addresses the host name resolved to (all are checked, to defeat DNS that
// mixes a public and a private answer). Returns the refusal reason, or
// nullopt when the target is allowed.
std::optional<std::string> refuse_outbound(std::string_view url, const std::vector<IpAddress>& resolved,
                                           const std::vector<IpNetwork>& allowed);

}  // namespace achilles
