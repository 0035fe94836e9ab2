#include "dashboard/dashboard_response.hpp"

namespace achilles::server {

HttpResponse dashboard_response(const DashboardAsset& asset) {
  HttpResponse r{200, std::string(asset.body), {}};
  r.headers.emplace_back("Content-Type", std::string(asset.content_type));
  r.headers.emplace_back("Content-Security-Policy", kDashboardContentSecurityPolicy);
  r.headers.emplace_back("X-Frame-Options", "DENY");
  // The files change only with the binary: revalidate, never serve stale.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace achilles::server
