#include "achilles/security/outbound_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace achilles {
namespace {

std::optional<std::array<std::uint8_t, 4>> parse_v4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || v > 255 || p == s.data()) return std::nullopt;
    if (p - s.data() > 1 && s[0] == '0') return std::nullopt;  // 010 is octal to the resolver: not a dotted quad
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

std::optional<std::array<std::uint8_t, 16>> parse_v6(std::string_view s) {
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  auto* current = &head;
  if (s.starts_with("::")) {
    gap = true;
    current = &tail;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    if (s.find('.') != std::string_view::npos && s.find(':') == std::string_view::npos) {  // trailing IPv4
      auto v4 = parse_v4(s);
      if (!v4) return std::nullopt;
      current->push_back(static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]));
      current->push_back(static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]));
      break;
    }
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc() || v > 0xffff || p - s.data() > 4) return std::nullopt;
    current->push_back(static_cast<std::uint16_t>(v));
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
    if (s.starts_with("::")) {
      if (gap) return std::nullopt;
      gap = true;
      current = &tail;
      s.remove_prefix(2);
    } else if (s.starts_with(":")) {
      s.remove_prefix(1);
      if (s.empty()) return std::nullopt;
    } else if (!s.empty()) {
      return std::nullopt;
    }
  }
  const std::size_t groups = head.size() + tail.size();
  if (groups > 8 || (!gap && groups != 8)) return std::nullopt;
  std::array<std::uint8_t, 16> out{};
  std::size_t i = 0;
  for (auto g : head) out[i++] = static_cast<std::uint8_t>(g >> 8), out[i++] = static_cast<std::uint8_t>(g);
  i = 16 - tail.size() * 2;
  for (auto g : tail) out[i++] = static_cast<std::uint8_t>(g >> 8), out[i++] = static_cast<std::uint8_t>(g);
  return out;
}

IpNetwork net(std::string_view cidr) { return *IpNetwork::parse(cidr); }

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  IpAddress a;
  if (auto v4 = parse_v4(text)) {
    a.bytes[10] = a.bytes[11] = 0xff;
    std::copy(v4->begin(), v4->end(), a.bytes.begin() + 12);
    return a;
  }
  if (auto v6 = parse_v6(text)) {
    a.bytes = *v6;
    return a;
  }
  return std::nullopt;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view cidr) {
  const auto slash = cidr.find('/');
  auto address = IpAddress::parse(cidr.substr(0, slash));
  if (!address) return std::nullopt;
  const bool v4 = cidr.substr(0, slash).find(':') == std::string_view::npos;
  int prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const auto text = cidr.substr(slash + 1);
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), prefix);
    if (ec != std::errc() || p != text.data() + text.size() || prefix < 0 || prefix > (v4 ? 32 : 128))
      return std::nullopt;
  }
  return IpNetwork{*address, v4 ? prefix + 96 : prefix};
}

bool IpNetwork::contains(const IpAddress& a) const {
  int bits = prefix;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((a.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<OutboundUrl> OutboundUrl::parse(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  OutboundUrl out;
  for (char c : url.substr(0, sep)) out.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (rest.starts_with("[")) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(rest.substr(1, close - 1));
  } else {
    out.host = std::string(rest.substr(0, rest.find(':')));
  }
  for (auto& c : out.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.host.empty()) return std::nullopt;
  return out;
}

std::string url_without_credentials(std::string_view url, std::string_view replacement) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto authority_end = url.find_first_of("/?#", scheme + 3);
  const auto at = url.rfind('@', authority_end == std::string_view::npos ? url.size() : authority_end);
  if (at == std::string_view::npos || at < scheme) return std::string(url);
  return std::string(url.substr(0, scheme + 3)) + std::string(replacement) + std::string(url.substr(at + 1));
}

bool IpAddress::is_v4() const {
  static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(kMapped.begin(), kMapped.end(), bytes.begin());
}

namespace {
IpAddress v4_from(const std::uint8_t* four) {
  IpAddress a;
  a.bytes[10] = a.bytes[11] = 0xff;
  std::copy(four, four + 4, a.bytes.begin() + 12);
  return a;
}
}  // namespace

std::optional<IpAddress> IpAddress::embedded_v4() const {
  if (is_v4()) return std::nullopt;
  const auto zero = [&](std::size_t from, std::size_t to) {
    return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.begin() + static_cast<std::ptrdiff_t>(to),
                       [](std::uint8_t b) { return b == 0; });
  };
  // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks); not :: and ::1.
  if (zero(0, 12) && !(zero(12, 15) && bytes[15] <= 1)) return v4_from(bytes.data() + 12);
  // NAT64 well-known prefix 64:ff9b::/96.
  if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && zero(4, 12))
    return v4_from(bytes.data() + 12);
  // 6to4 2002:a.b.c.d::/48.
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return v4_from(bytes.data() + 2);
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::parse_host(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return parse(host);
  // inet_aton: up to four numbers; the last fills the remaining bytes.
  std::vector<std::uint64_t> parts;
  while (true) {
    const auto dot = host.find('.');
    std::string_view part = host.substr(0, dot);
    if (part.empty()) return std::nullopt;
    int base = 10;
    if (part.size() > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
      base = 16;
      part.remove_prefix(2);
      if (part.empty()) return std::nullopt;
    } else if (part.size() > 1 && part[0] == '0') {
      base = 8;
      part.remove_prefix(1);
    }
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v, base);
    if (ec != std::errc() || p != part.data() + part.size() || v > 0xffffffffULL) return std::nullopt;
    parts.push_back(v);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
    if (parts.size() == 4) return std::nullopt;
  }
  std::uint32_t value = 0;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 0xff) return std::nullopt;
    value |= static_cast<std::uint32_t>(parts[i]) << (24 - 8 * i);
  }
  const std::size_t rest_bits = 32 - 8 * (parts.size() - 1);
  if (rest_bits < 32 && parts.back() >= (1ULL << rest_bits)) return std::nullopt;
  value |= static_cast<std::uint32_t>(parts.back());
  const std::uint8_t four[4] = {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
                                static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  return v4_from(four);
}

std::optional<std::string> OutboundPolicy::refusal(const IpAddress& address) const {
  static const IpNetwork kNever[] = {net("169.254.0.0/16"), net("fe80::/10"), net("fd00:ec2::254/128"),
                                     net("0.0.0.0/8"),      net("::/128"),    net("224.0.0.0/4"),
                                     net("ff00::/8"),       net("255.255.255.255/32"), net("240.0.0.0/4")};
  static const IpNetwork kPrivate[] = {net("127.0.0.0/8"),  net("::1/128"),       net("10.0.0.0/8"),
                                       net("172.16.0.0/12"), net("192.168.0.0/16"), net("100.64.0.0/10"),
                                       net("fc00::/7")};
  std::vector<IpAddress> judged{address};
  if (auto inner = address.embedded_v4()) judged.push_back(*inner);
  for (const auto& a : judged)
    for (const auto& n : kNever)
      if (n.contains(a)) return "Link-local, metadata, unspecified and multicast addresses are not allowed";
  for (const auto& a : judged)
    for (const auto& n : kPrivate)
      if (n.contains(a) && std::none_of(allowed_.begin(), allowed_.end(), [&](const IpNetwork& ok) { return ok.contains(a); }))
        return "Private and loopback addresses are not allowed unless listed in ACHILLES_ALLOWED_NETWORKS";
  return std::nullopt;
}

std::optional<std::string> OutboundPolicy::refusal(std::string_view url) const {
  auto parsed = OutboundUrl::parse(url);
  if (!parsed) return "Invalid URL";
  if (parsed->scheme != "http" && parsed->scheme != "https") return "Only http and https URLs are allowed";
  if (parsed->host == "metadata.google.internal" || parsed->host == "metadata" || parsed->host == "metadata.azure.com")
    return "Cloud metadata endpoints are not allowed";
  if (auto literal = IpAddress::parse_host(parsed->host)) return refusal(*literal);
  return std::nullopt;
}

std::optional<std::string> refuse_outbound(std::string_view url, const std::vector<IpAddress>& resolved,
                                           const std::vector<IpNetwork>& allowed) {
  const OutboundPolicy policy(allowed);
  if (auto refused = policy.refusal(url)) return refused;
  const auto host = OutboundUrl::parse(url)->host;
  if (IpAddress::parse_host(host)) return std::nullopt;
  if (resolved.empty()) return "Host did not resolve: " + host;
  for (const auto& a : resolved)
    if (auto refused = policy.refusal(a)) return refused;
  return std::nullopt;
}

}  // namespace achilles
