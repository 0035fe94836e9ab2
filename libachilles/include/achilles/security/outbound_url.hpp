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
  // Strict dotted-quad IPv4 (no leading zeros) or IPv6.
  static std::optional<IpAddress> parse(std::string_view text);
  // A URL host as the C resolver reads it (inet_aton): IPv4 in 1 to 4 parts,
  // each decimal, octal (leading 0) or hex (0x), so `0177.0.0.1`, `0x7f.1`,
  // `127.1` and `2130706433` are all 127.0.0.1; or an IPv6 literal.
  static std::optional<IpAddress> parse_host(std::string_view host);
  bool is_v4() const;
  // The IPv4 address this one carries, if any: IPv4-mapped or -compatible
  // IPv6, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed one.
  std::optional<IpAddress> embedded_v4() const;
  bool operator==(const IpAddress&) const = default;
};

// An IPv4 or IPv6 network in CIDR form, held in IPv6 terms.
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

// `url` with the user:password@ of its authority replaced by `replacement`
// ("" to drop it, "***@" to show that there was one): URLs in messages and
// answers never carry credentials.
std::string url_without_credentials(std::string_view url, std::string_view replacement = "");

// Where the server may connect on its own (an Elasticsearch node of the
// settings, Microsoft Graph, Clerk's JWKS): never link-local, cloud metadata,
// unspecified, multicast or broadcast addresses; loopback and private ranges
// only when the operator lists them (ACHILLES_ALLOWED_NETWORKS: on-premises
// clusters, and the tests' local fakes). An address that embeds an IPv4
// address (mapped, compatible, NAT64, 6to4) is judged by that one too.
class OutboundPolicy {
public:
  OutboundPolicy() = default;
  explicit OutboundPolicy(std::vector<IpNetwork> allowed) : allowed_(std::move(allowed)) {}

  // Why this address may not be connected to, or nullopt when it may.
  std::optional<std::string> refusal(const IpAddress& address) const;
  // Why this URL may not be fetched before any name is resolved (scheme,
  // metadata host names, a literal address that is refused), or nullopt.
  std::optional<std::string> refusal(std::string_view url) const;
  const std::vector<IpNetwork>& allowed() const { return allowed_; }

private:
  std::vector<IpNetwork> allowed_;
};

// The URL check, then every address the host resolved to (all are checked,
// to defeat DNS that mixes a public and a private answer). Returns the
// refusal reason, or nullopt when the target is allowed.
std::optional<std::string> refuse_outbound(std::string_view url, const std::vector<IpAddress>& resolved,
                                           const std::vector<IpNetwork>& allowed);

}  // namespace achilles
