#pragma once
#include <optional>
#include <string_view>

#include "achilles/auth/principal.hpp"

namespace achilles {

// Turns a bearer credential into a principal; nullopt when it proves nothing
// (unknown, expired, malformed). Adapters: local admin token, Clerk, API keys.
class IdentityVerifier {
public:
  virtual ~IdentityVerifier() = default;
  virtual std::optional<Principal> verify(std::string_view bearer_token) const = 0;
};

}  // namespace achilles
