// Whole requests through the API, over the embedded in-memory store: the
// first byte picks a route, the rest is its query string or JSON body. The
// API must answer every one with valid JSON and never a 500.
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
#include "app/analytics_app.hpp"
#include "app/backends.hpp"

using namespace achilles;
using namespace achilles::server;

namespace {

class FuzzIdentity final : public IdentityVerifier {
public:
  std::optional<Principal> verify(std::string_view token) const override {
    if (token == "admin") return Principal::with_role("fuzz-admin", Role::Admin);
    if (token == "org") return Principal::with_role("fuzz-org", Role::Analyst, "org-1");
    return std::nullopt;
  }
};

struct World {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("achilles-fuzz-" + std::to_string(::getpid()));
  SystemClock clock;
  FuzzIdentity identity;
  embedded::ColumnStore store;
  std::unique_ptr<embedded::SqliteRiskAcceptances> acceptances;
  crypto_store::AesGcmCipher cipher{"fuzz-secret-0123456789abcdef0123456789"};
  std::unique_ptr<AnalyticsSettingsFile> settings;
  std::unique_ptr<AnalyticsApp> app;
  World() {
    std::filesystem::create_directories(dir);
    acceptances = std::make_unique<embedded::SqliteRiskAcceptances>(dir / "results.db");
    settings = std::make_unique<AnalyticsSettingsFile>(dir / "analytics.json", cipher, clock);
    AnalyticsAppOptions options;
    options.access_log = false;
    app = std::make_unique<AnalyticsApp>(embedded_backend(store, *acceptances), identity, clock, *settings, options);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  if (size == 0) return 0;
  static const char* kRoutes[][2] = {
      {"POST", "/api/risk-acceptances"},          {"POST", "/api/risk-acceptances/lookup"},
      {"POST", "/api/risk-acceptances/x/revoke"}, {"POST", "/api/analytics/executions/archive"},
      {"POST", "/api/analytics/executions/archive-by-date"}, {"POST", "/api/analytics/index/create"},
      {"GET", "/api/analytics/defense-score?"},   {"GET", "/api/analytics/defense-score/trend?"},
      {"GET", "/api/analytics/executions/paginated?"}, {"GET", "/api/analytics/host-test-matrix?"},
      {"GET", "/api/analytics/error-rate/trend?"}, {"GET", "/api/risk-acceptances?"},
      {"GET", "/api/analytics/available-hostnames?"}, {"GET", "/api/analytics/defense-score/by-test?"}};
  const auto& route = kRoutes[data[0] % std::size(kRoutes)];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  HttpRequest request;
  request.method = route[0];
  request.target = std::string(route[1]) + (request.method == "GET" ? rest : "");
  request.body = request.method == "POST" ? rest : "";
  request.authorization = (data[0] & 0x80) ? "Bearer org" : "Bearer admin";
  request.remote_address = "127.0.0.1";
  const HttpResponse response = world.app->handle(request);
  if (response.status >= 500 && response.status != 503) __builtin_trap();
  boost::system::error_code ec;
  (void)boost::json::parse(response.body, ec);  // valid UTF-8 JSON, always
  if (ec && !response.body.empty()) __builtin_trap();
  return 0;
}
