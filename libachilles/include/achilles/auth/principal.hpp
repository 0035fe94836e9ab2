#pragma once
#include <optional>
#include <string>

#include "achilles/auth/permission.hpp"

namespace achilles {

// What proved a principal: the rate limits of platform-spec §2.5 differ by
// kind, and the access log names it.
enum class Credential { Other, LocalAdminToken, ClerkSession, CliToken, ApiKey };

// Who is calling, as every use case sees it, whatever proved it (a local
// token, a Clerk session, an API key).
struct Principal {
  std::string user_id;
  std::optional<Role> role;
  std::string org_id;  // empty: not bound to an organisation
  PermissionSet permissions;
  Credential credential = Credential::Other;

  bool may(Permission p) const { return permissions.test(static_cast<std::size_t>(p)); }
  static Principal with_role(std::string user_id, Role role, std::string org_id = {}) {
    return {std::move(user_id), role, std::move(org_id), permissions_of(role)};
  }
};

}  // namespace achilles
