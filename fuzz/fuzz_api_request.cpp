// Whole requests through the API, over the embedded in-memory store: the
// first byte picks a route, the rest is its query string or JSON body. The
// API must answer every one with valid JSON and never a 500.
#include <cstdint>
#include <string>

#include "fuzz_world.hpp"
#include "http/multipart_form.hpp"

using namespace achilles;
using namespace achilles::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::FuzzWorld world;
  if (size == 0) return 0;
  static const char* kRoutes[][2] = {
      {"POST", "/api/risk-acceptances"},          {"POST", "/api/risk-acceptances/lookup"},
      {"POST", "/api/risk-acceptances/x/revoke"}, {"POST", "/api/analytics/executions/archive"},
      {"POST", "/api/analytics/executions/archive-by-date"}, {"POST", "/api/analytics/index/create"},
      {"GET", "/api/analytics/defense-score?"},   {"GET", "/api/analytics/defense-score/trend?"},
      {"GET", "/api/analytics/executions/paginated?"}, {"GET", "/api/analytics/host-test-matrix?"},
      {"GET", "/api/analytics/error-rate/trend?"}, {"GET", "/api/risk-acceptances?"},
      {"GET", "/api/analytics/available-hostnames?"}, {"GET", "/api/analytics/defense-score/by-test?"},
      {"POST", "/api/analytics/settings"},        {"GET", "/api/analytics/canonical-test-count?"},
      {"GET", "/api/analytics/defender/alerts?"},  {"GET", "/api/analytics/defender/correlation/detection-rate?"},
      {"GET", "/api/analytics/defender/correlation/alerts-for-test?"},
      {"GET", "/api/analytics/defender/controls/correlation?"}, {"GET", "/api/analytics/defender/alerts/trend?"},
      {"PUT", "/api/integrations/defender/auto-resolve/mode"},
      {"GET", "/api/integrations/defender/auto-resolve/receipts?"}};
  const auto& route = kRoutes[data[0] % std::size(kRoutes)];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)parse_multipart_form("multipart/form-data; boundary=----b", rest);  // the PFX upload's body
  HttpRequest request;
  request.method = route[0];
  request.target = std::string(route[1]) + (request.method == "GET" ? rest : "");
  request.body = request.method == "GET" ? "" : rest;
  request.authorization = (data[0] & 0x80) ? "Bearer org" : "Bearer admin";
  request.remote_address = "127.0.0.1";
  fuzz::check_answer(world.app->handle(request));
  if (request.target == "/api/analytics/settings") world.forget_settings();
  return 0;
}
