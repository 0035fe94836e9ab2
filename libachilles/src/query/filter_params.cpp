#include "achilles/query/filter_params.hpp"

#include <cctype>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

std::vector<std::string> list_param(const QueryParams& params, std::string_view key) {
  auto value = param_value(params, key);
  return value ? split_list(*value) : std::vector<std::string>{};
}

std::optional<DateBound> date_param(const QueryParams& params, std::string_view key,
                                    RangeEdge edge, std::int64_t now_ms) {
  auto value = param_value(params, key);
  if (!value || value->empty()) return std::nullopt;
  auto ms = resolve_date_bound(*value, edge, now_ms);
  if (!ms)
    throw InvalidArgument("Invalid '" + std::string(key) + "' date: '" + *value +
                          "' (use an ISO-8601 date or time, epoch milliseconds, or date math "
                          "such as now-30d or now-30d/d)");
  return DateBound{*value, *ms};
}

ResultClass result_param(const QueryParams& params) {
  auto value = param_value(params, "result");
  if (!value || value->empty() || *value == "all") return ResultClass::All;
  if (*value == "protected") return ResultClass::Protected;
  if (*value == "unprotected") return ResultClass::Unprotected;
  if (*value == "inconclusive") return ResultClass::Inconclusive;
  throw InvalidArgument("Invalid 'result': '" + *value +
                        "' (expected all, protected, unprotected or inconclusive)");
}

ScoringMode scoring_mode_param(const QueryParams& params) {
  auto value = param_value(params, "scoringMode");
  if (!value || value->empty() || *value == "all-stages") return ScoringMode::AllStages;
  if (*value == "any-stage") return ScoringMode::AnyStage;
  throw InvalidArgument("Invalid 'scoringMode': '" + *value +
                        "' (expected all-stages or any-stage)");
}

}  // namespace

std::optional<std::int64_t> js_parse_int(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::int64_t value = 0;
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (digits < 18) value = value * 10 + (text[i] - '0');
    ++digits;
    ++i;
  }
  if (digits == 0) return std::nullopt;
  return negative ? -value : value;
}

FilterParams parse_filter_params(const QueryParams& params, std::int64_t now_ms) {
  FilterParams f;
  if (auto org = param_value(params, "org")) f.org = *org;
  f.from = date_param(params, "from", RangeEdge::Lower, now_ms);
  f.to = date_param(params, "to", RangeEdge::Upper, now_ms);
  f.tests = list_param(params, "tests");
  f.techniques = list_param(params, "techniques");
  f.hostnames = list_param(params, "hostnames");
  f.categories = list_param(params, "categories");
  f.severities = list_param(params, "severities");
  f.threat_actors = list_param(params, "threatActors");
  f.tags = list_param(params, "tags");
  f.error_names = list_param(params, "errorNames");
  for (const auto& item : list_param(params, "errorCodes"))
    if (auto code = js_parse_int(item)) f.error_codes.push_back(*code);  // NaN items drop, as the original
  f.bundle_names = list_param(params, "bundleNames");
  f.result = result_param(params);
  f.scoring_mode = scoring_mode_param(params);
  return f;
}

}  // namespace achilles
