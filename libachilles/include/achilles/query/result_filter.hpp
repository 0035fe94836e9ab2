#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/query/filter_params.hpp"

namespace achilles {

// Keyword fields a filter can name (the mapping of analytics-spec §1.2).
enum class KeywordField {
  TestUuid,
  TestName,
  OrgId,
  Hostname,
  ErrorName,
  Category,
  Subcategory,
  Severity,
  Techniques,
  Tactics,
  Target,
  Complexity,
  ThreatActor,
  Tags,
  BundleId,
  BundleName,
  ControlId,
  ControlValidator,
  TenantLabel,
};

// "Any of `fields` holds any of `values`" (multi-valued fields match if any
// element matches). Exact, case-sensitive, like a keyword `term`.
struct KeywordClause {
  std::vector<KeywordField> fields;
  std::vector<std::string> values;
};

// "event.ERROR is one of `codes`"; negated: "is missing or none of `codes`"
// (an ES must_not, which a document without the field satisfies).
struct ExitCodeClause {
  std::vector<std::int64_t> codes;
  bool negated = false;
};

// One active risk acceptance, as the exclusion of analytics-spec §2.7: a
// document matching every present field leaves the defense-score family.
struct RiskExclusion {
  std::string test_name;
  std::optional<std::string> control_id;
  std::optional<std::string> hostname;  // host scope only
};

// One run named by its group key (§3.4.3): the bundle controls of a bundle
// run, or a standalone execution, on one host at one exact millisecond.
struct RunSelector {
  bool bundle = false;
  std::string id;  // bundle_id, or test_uuid for a standalone run
  std::string hostname;
  std::int64_t event_time_ms = 0;
};

// The domain's description of "which result documents": every clause must
// hold. Adapters translate it (a column scan, an ES bool filter); use cases
// build it from the named filter sets, never from adapter syntax.
struct ResultFilter {
  bool test_data_only = true;                 // TD: test_uuid and test_name exist
  std::optional<std::int64_t> from_ms;        // routing.event_time >= from
  std::optional<std::int64_t> to_ms;          // routing.event_time <= to
  bool requires_event_time = true;            // a DATE clause is present
  std::vector<KeywordClause> keywords;
  std::vector<ExitCodeClause> exit_codes;
  std::vector<RiskExclusion> exclusions;      // RAX (must_not)
  bool attack_simulation_only = false;        // drop cyber-hygiene controls and skipped stages (§2.8)
  std::vector<RunSelector> runs;              // when set, the document must belong to one of them
};

// Named filter sets of analytics-spec §2.6, from validated parameters.
// `now_ms` supplies the default 7-day window when neither from nor to is set.
ResultFilter defense_score_filter(const FilterParams& params, std::int64_t now_ms);  // DS_RAW
ResultFilter base_filter(const FilterParams& params, std::int64_t now_ms);           // BASE
ResultFilter base_filter_bar(const FilterParams& params, std::int64_t now_ms);       // BASE_FB
ResultFilter error_rate_filter(const FilterParams& params, std::int64_t now_ms);     // ERR
ResultFilter options_filter(const FilterParams& params);                             // OPTS
ResultFilter test_data_filter();                                                     // ALL
ResultFilter with_exclusions(ResultFilter filter, std::vector<RiskExclusion> exclusions);

}  // namespace achilles
