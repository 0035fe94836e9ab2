#pragma once
#include <cstdlib>
#include <sstream>
#include <string>

#include "achilles/security/outbound_url.hpp"

namespace achilles::testing {

// The tests' fakes listen on loopback, which the outbound policy refuses
// unless listed: the tests list it, as an operator lists an on-premises range.
inline OutboundPolicy loopback_policy() {
  return OutboundPolicy({*IpNetwork::parse("127.0.0.0/8"), *IpNetwork::parse("::1/128")});
}

// The live-cluster suite follows the operator's policy: ACHILLES_ALLOWED_NETWORKS.
inline OutboundPolicy policy_from_environment() {
  std::vector<IpNetwork> allowed;
  const char* text = std::getenv("ACHILLES_ALLOWED_NETWORKS");
  std::stringstream list(text ? text : "");
  for (std::string item; std::getline(list, item, ',');)
    if (auto n = IpNetwork::parse(item)) allowed.push_back(*n);
  return OutboundPolicy(std::move(allowed));
}

}  // namespace achilles::testing
