#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/query/query_params.hpp"

namespace achilles {

// `result` of analytics-spec §2.4; unknown values are refused (D3).
enum class ResultClass { All, Protected, Unprotected, Inconclusive };

// `scoringMode` of §2.8; unknown non-empty values are refused (D3).
enum class ScoringMode { AllStages, AnyStage };

// A requested time bound: the text as sent and the instant it resolved to.
struct DateBound {
  std::string text;
  std::int64_t epoch_ms;
};

// The shared filter vocabulary of analytics-spec §2.1, parsed and validated.
struct FilterParams {
  std::string org;
  std::optional<DateBound> from;  // inclusive lower bound (`gte`)
  std::optional<DateBound> to;    // inclusive upper bound (`lte`)
  std::vector<std::string> tests;  // test name or test UUID (D2)
  std::vector<std::string> techniques;
  std::vector<std::string> hostnames;
  std::vector<std::string> categories;
  std::vector<std::string> severities;
  std::vector<std::string> threat_actors;
  std::vector<std::string> tags;
  std::vector<std::string> error_names;
  std::vector<std::int64_t> error_codes;
  std::vector<std::string> bundle_names;
  ResultClass result = ResultClass::All;
  ScoringMode scoring_mode = ScoringMode::AllStages;
};

// Reads §2.1's keys from the query string. Dates resolve against `now_ms`
// (UTC). Throws InvalidArgument naming the parameter on a bad value.
FilterParams parse_filter_params(const QueryParams& params, std::int64_t now_ms);

// JavaScript parseInt(text, 10): skips leading whitespace, takes an optional
// sign and the leading digits; nullopt where JS gives NaN.
std::optional<std::int64_t> js_parse_int(std::string_view text);

}  // namespace achilles
