// Query strings as the analytics routes read them: every parameter of the
// shared filter vocabulary, date math included. Refusals are exceptions of
// the domain; anything else (a crash, UB, an unexpected exception) is a bug.
#include <cstdint>
#include <string>

#include "achilles/errors.hpp"
#include "achilles/query/analytics_request_parsing.hpp"
#include "achilles/defender/alert_evidence.hpp"
#include "achilles/defender/test_alerts.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/defender_request_parsing.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/query/run_key.hpp"
#include "achilles/text/json_text.hpp"

using namespace achilles;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kNow = 1'737'376'496'789;
  (void)resolve_date_bound(text, RangeEdge::Lower, kNow);
  (void)resolve_date_bound(text, RangeEdge::Upper, kNow);
  (void)parse_run_key(text);
  (void)json_quoted(text);
  // key=value&key=value over the vocabulary's keys.
  static const char* kKeys[] = {"from", "to", "org", "tests", "techniques", "hostnames", "categories", "severities",
                                "threatActors", "tags", "errorNames", "errorCodes", "bundleNames", "result", "scoringMode",
                                "interval", "windowDays", "limit", "page", "pageSize", "sortField", "sortOrder", "days",
                                "windowMinutes", "timestamp", "hostname", "binaryName", "bundleName", "severity", "status",
                                "search", "controlTitle", "matchHost", "deprecated", "category"};
  QueryParams params;
  std::size_t start = 0;
  for (std::size_t i = 0; start <= text.size() && i < 32; ++i) {
    const auto end = text.find('&', start);
    const std::string value = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    params.emplace_back(kKeys[i % std::size(kKeys)], value);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  try {
    const auto filters = parse_filter_params(params, kNow);
    (void)defense_score_filter(filters, kNow);
    (void)base_filter_bar(filters, kNow);
    (void)error_rate_filter(filters, kNow);
  } catch (const InvalidArgument&) {
  } catch (const ValidationFailed&) {
  }
  // Each endpoint's own parser on the same pairs.
  auto refused_or_parsed = [](auto parse) {
    try {
      (void)parse();
    } catch (const InvalidArgument&) {
    }
  };
  refused_or_parsed([&] { return trend_request(params, kNow); });
  refused_or_parsed([&] { return top_request(params, kNow, {10, 50}); });
  refused_or_parsed([&] { return execution_page_request(params, kNow); });
  refused_or_parsed([&] { return canonical_test_count_request(params, kNow); });
  // The Defender dashboards' parsers, and what the drawer builds from a request.
  refused_or_parsed([&] { return parse_alert_list_request(params); });
  refused_or_parsed([&] { return parse_controls_request(params); });
  refused_or_parsed([&] { return parse_control_correlation_request(params); });
  refused_or_parsed([&] { return parse_detection_rate_request(params); });
  refused_or_parsed([&] {
    const auto request = parse_test_alerts_request(params);
    return test_alert_tiers(request).size();
  });
  (void)bundle_name_token(text);
  (void)bundle_evidence_question({text, text, text, text, text});
  (void)stage_evidence_question({text, text, text, text, text});
  return 0;
}
