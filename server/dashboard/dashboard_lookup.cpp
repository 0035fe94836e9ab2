#include "dashboard/dashboard_assets.hpp"

namespace achilles::server {

std::optional<DashboardAsset> dashboard_asset(std::string_view path) {
  if (path == "/" || path == "/index.html") path = "/dashboard/index.html";
  for (const auto& asset : dashboard_assets())
    if (asset.path == path) return asset;
  return std::nullopt;
}

}  // namespace achilles::server
