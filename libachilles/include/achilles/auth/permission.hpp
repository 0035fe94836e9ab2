#pragma once
#include <bitset>
#include <cstddef>
#include <optional>
#include <string_view>

namespace achilles {

// The 38 permissions of platform-spec §1.7, in its order.
enum class Permission : std::size_t {
  TestsLibraryRead, TestsBuildsRead, TestsBuildsCreate, TestsBuildsDelete, TestsSyncExecute,
  AnalyticsDashboardsRead, AnalyticsSettingsRead, AnalyticsSettingsWrite, AnalyticsIndexCreate,
  AnalyticsExecutionsArchive, AnalyticsRiskRead, AnalyticsRiskWrite,
  EndpointsAgentsRead, EndpointsAgentsWrite, EndpointsAgentsDelete, EndpointsTokensCreate,
  EndpointsTokensDelete, EndpointsTasksRead, EndpointsTasksCreate, EndpointsTasksCancel,
  EndpointsTasksDelete, EndpointsTasksNotes, EndpointsTasksCommand, EndpointsSchedulesRead,
  EndpointsSchedulesCreate, EndpointsSchedulesWrite, EndpointsSchedulesDelete,
  EndpointsVersionsRead, EndpointsVersionsCreate, EndpointsVersionsDelete,
  SettingsPlatformRead, SettingsPlatformWrite, SettingsCertificatesRead,
  SettingsCertificatesCreate, SettingsCertificatesDelete, SettingsUsersManage,
  IntegrationsRead, IntegrationsWrite,
  SystemMetricsRead,  // ours (GET /metrics), after the original's 38
};
inline constexpr std::size_t kPermissionCount = 39;

using PermissionSet = std::bitset<kPermissionCount>;

std::string_view permission_name(Permission p);  // e.g. "analytics:dashboards:read"
std::optional<Permission> permission_from_name(std::string_view name);

enum class Role { Admin, Operator, Analyst, Explorer };
enum class ApiKeyScope { Read, ReadWrite };

std::optional<Role> role_from_name(std::string_view name);  // exact: admin|operator|analyst|explorer
std::string_view role_name(Role role);

// ROLE_PERMISSIONS of the original; a principal without a role is an explorer.
PermissionSet permissions_of(Role role);
// API keys: `read` = every permission ending in ":read"; `read-write` = operator.
PermissionSet permissions_of(ApiKeyScope scope);

}  // namespace achilles
