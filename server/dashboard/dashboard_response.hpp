#pragma once
#include "dashboard/dashboard_assets.hpp"
#include "http/exchange.hpp"

namespace achilles::server {

// The answer serving one of the dashboard's files, under a policy that lets
// the page run only its own scripts and styles (no inline code, no eval) and
// talk only to this server.
HttpResponse dashboard_response(const DashboardAsset& asset);

// The Content-Security-Policy of the dashboard's files.
inline constexpr const char* kDashboardContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace achilles::server
