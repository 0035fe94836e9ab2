#include <catch2/catch.hpp>

#include "achilles/auth/permission.hpp"
#include "achilles/auth/principal.hpp"

using namespace achilles;

TEST_CASE("the permission table has the original's 38 permissions, named as there, then ours", "[auth]") {
  CHECK(kPermissionCount == 39);
  CHECK(permission_name(Permission::SystemMetricsRead) == "system:metrics:read");
  CHECK(permission_name(Permission::TestsLibraryRead) == "tests:library:read");
  CHECK(permission_name(Permission::AnalyticsDashboardsRead) == "analytics:dashboards:read");
  CHECK(permission_name(Permission::IntegrationsWrite) == "integrations:write");
  for (std::size_t i = 0; i < kPermissionCount; ++i) {
    auto p = static_cast<Permission>(i);
    CHECK(permission_from_name(permission_name(p)) == p);
  }
  CHECK_FALSE(permission_from_name("analytics:everything").has_value());
}

TEST_CASE("roles grant what platform-spec §1.7 lists", "[auth]") {
  CHECK(permissions_of(Role::Admin).count() == 38 + 1);     // + system:metrics:read
  CHECK(permissions_of(Role::Operator).count() == 24 + 1);  // + system:metrics:read
  CHECK(permissions_of(Role::Analyst).count() == 7);
  CHECK(permissions_of(Role::Explorer).count() == 4);

  const auto analyst = Principal::with_role("u", Role::Analyst);
  CHECK(analyst.may(Permission::AnalyticsDashboardsRead));
  CHECK(analyst.may(Permission::AnalyticsRiskRead));
  CHECK(analyst.may(Permission::EndpointsTasksNotes));
  CHECK_FALSE(analyst.may(Permission::AnalyticsRiskWrite));
  CHECK_FALSE(analyst.may(Permission::AnalyticsSettingsWrite));

  const auto explorer = Principal::with_role("u", Role::Explorer);
  CHECK(explorer.may(Permission::AnalyticsSettingsRead));
  CHECK_FALSE(explorer.may(Permission::AnalyticsRiskRead));
  CHECK_FALSE(explorer.may(Permission::SystemMetricsRead));
  CHECK_FALSE(analyst.may(Permission::SystemMetricsRead));

  const auto op = Principal::with_role("u", Role::Operator);
  CHECK(op.may(Permission::AnalyticsRiskWrite));
  CHECK_FALSE(op.may(Permission::AnalyticsExecutionsArchive));
  CHECK_FALSE(op.may(Permission::AnalyticsIndexCreate));
}

TEST_CASE("API keys: read scope is every :read permission, read-write is the operator set", "[auth]") {
  const auto read = permissions_of(ApiKeyScope::Read);
  CHECK(read.count() == 12 + 1);  // + system:metrics:read
  for (std::size_t i = 0; i < kPermissionCount; ++i)
    CHECK(read.test(i) == permission_name(static_cast<Permission>(i)).ends_with(":read"));
  CHECK(permissions_of(ApiKeyScope::ReadWrite) == permissions_of(Role::Operator));
}

TEST_CASE("role names are exact", "[auth]") {
  CHECK(role_from_name("admin") == Role::Admin);
  CHECK(role_from_name("explorer") == Role::Explorer);
  CHECK_FALSE(role_from_name("Admin").has_value());
  CHECK(role_name(Role::Analyst) == "analyst");
}
