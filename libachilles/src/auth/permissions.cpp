#include "achilles/auth/permission.hpp"

#include <array>
#include <string_view>

namespace achilles {
namespace {

using P = Permission;

struct Row {
  std::string_view name;
  bool admin, operator_, analyst, explorer;
};

// Read straight off platform-spec §1.7, one row per permission, in enum order.
constexpr std::array<Row, kPermissionCount> kTable{{
    {"tests:library:read", true, true, true, true},
    {"tests:builds:read", true, true, false, false},
    {"tests:builds:create", true, true, false, false},
    {"tests:builds:delete", true, false, false, false},
    {"tests:sync:execute", true, true, false, false},
    {"analytics:dashboards:read", true, true, true, true},
    {"analytics:settings:read", true, true, true, true},
    {"analytics:settings:write", true, false, false, false},
    {"analytics:index:create", true, false, false, false},
    {"analytics:executions:archive", true, false, false, false},
    {"analytics:risk:read", true, true, true, false},
    {"analytics:risk:write", true, true, false, false},
    {"endpoints:agents:read", true, true, false, false},
    {"endpoints:agents:write", true, true, false, false},
    {"endpoints:agents:delete", true, false, false, false},
    {"endpoints:tokens:create", true, true, false, false},
    {"endpoints:tokens:delete", true, false, false, false},
    {"endpoints:tasks:read", true, true, true, false},
    {"endpoints:tasks:create", true, true, false, false},
    {"endpoints:tasks:cancel", true, true, false, false},
    {"endpoints:tasks:delete", true, false, false, false},
    {"endpoints:tasks:notes", true, true, true, false},
    {"endpoints:tasks:command", true, false, false, false},
    {"endpoints:schedules:read", true, true, false, false},
    {"endpoints:schedules:create", true, true, false, false},
    {"endpoints:schedules:write", true, true, false, false},
    {"endpoints:schedules:delete", true, false, false, false},
    {"endpoints:versions:read", true, true, false, false},
    {"endpoints:versions:create", true, true, false, false},
    {"endpoints:versions:delete", true, false, false, false},
    {"settings:platform:read", true, true, true, true},
    {"settings:platform:write", true, false, false, false},
    {"settings:certificates:read", true, true, false, false},
    {"settings:certificates:create", true, true, false, false},
    {"settings:certificates:delete", true, false, false, false},
    {"settings:users:manage", true, false, false, false},
    {"integrations:read", true, true, false, false},
    {"integrations:write", true, false, false, false},
    // Ours, not the original's: scraping GET /metrics (admins, operators,
    // and API keys of read scope, as every ":read" permission).
    {"system:metrics:read", true, true, false, false},
}};

}  // namespace

std::string_view permission_name(Permission p) { return kTable[static_cast<std::size_t>(p)].name; }

std::optional<Permission> permission_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kTable.size(); ++i)
    if (kTable[i].name == name) return static_cast<Permission>(i);
  return std::nullopt;
}

std::optional<Role> role_from_name(std::string_view name) {
  if (name == "admin") return Role::Admin;
  if (name == "operator") return Role::Operator;
  if (name == "analyst") return Role::Analyst;
  if (name == "explorer") return Role::Explorer;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Admin: return "admin";
    case Role::Operator: return "operator";
    case Role::Analyst: return "analyst";
    case Role::Explorer: return "explorer";
  }
  return "explorer";
}

PermissionSet permissions_of(Role role) {
  PermissionSet set;
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    const Row& r = kTable[i];
    const bool granted = role == Role::Admin      ? r.admin
                         : role == Role::Operator ? r.operator_
                         : role == Role::Analyst  ? r.analyst
                                                  : r.explorer;
    set.set(i, granted);
  }
  return set;
}

PermissionSet permissions_of(ApiKeyScope scope) {
  if (scope == ApiKeyScope::ReadWrite) return permissions_of(Role::Operator);
  PermissionSet set;
  for (std::size_t i = 0; i < kTable.size(); ++i) set.set(i, kTable[i].name.ends_with(":read"));
  return set;
}

}  // namespace achilles
