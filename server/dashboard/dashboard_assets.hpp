#pragma once
// The built-in dashboard's static files, compiled into the binary
// (cmake/EmbedDashboard.cmake): HTML, CSS and JavaScript modules that read
// the public API like any other client.
#include <optional>
#include <span>
#include <string_view>

namespace achilles::server {

struct DashboardAsset {
  std::string_view path;          // as requested, e.g. "/dashboard/app.js"
  std::string_view content_type;
  std::string_view body;
};

std::span<const DashboardAsset> dashboard_assets();

// The file a GET of `path` serves: "/" is the dashboard's page; nullopt for
// anything else outside /api/.
std::optional<DashboardAsset> dashboard_asset(std::string_view path);

}  // namespace achilles::server
