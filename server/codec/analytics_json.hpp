#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string_view>

#include "achilles/scoring/defense_score.hpp"
#include "achilles/services/archive_service.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "achilles/services/catalog_service.hpp"
#include "achilles/services/coverage_service.hpp"
#include "achilles/services/executions_service.hpp"
#include "achilles/services/trend_service.hpp"

namespace achilles::server {

// Response bodies of /api/analytics/*, keys and key order as the original's
// (analytics-spec §3); optional fields are left out, never null.
boost::json::object defense_score_json(const DefenseScore& score);
boost::json::array trend_json(const std::vector<TrendPoint>& points);
boost::json::array error_rate_trend_json(const std::vector<ErrorRatePoint>& points);
boost::json::object error_rate_json(const ErrorRate& rate);

// The keys of a by-* row: by-test/by-technique use name/score/count/protected;
// severity and category add unprotected; hostname orders them differently.
enum class ScoreRowShape { Named, Severity, Category, CategoryWithSubcategories, Hostname, Org };
boost::json::array score_rows_json(const std::vector<ScoreRow>& rows, ScoreRowShape shape);
boost::json::array threat_actor_coverage_json(const std::vector<ThreatActorCoverage>& rows);

boost::json::object test_execution_json(const ResultDocument& doc);      // the 8 base fields
boost::json::object enriched_execution_json(const ResultDocument& doc);  // plus catalog metadata and flags
boost::json::array recent_executions_json(const std::vector<ResultDocument>& docs);
boost::json::object execution_page_json(const ExecutionPage& page);
boost::json::object execution_run_page_json(const ExecutionRunPage& page);

boost::json::array error_types_json(const std::vector<ErrorTypeCount>& rows);
boost::json::array coverage_json(const std::vector<CoverageRow>& rows, std::string_view key_name);
boost::json::array host_test_matrix_json(const std::vector<HostTestCell>& cells);
boost::json::object canonical_test_count_json(const CanonicalTestCount& count);
boost::json::array organizations_json(const std::vector<std::string>& org_ids);
boost::json::array strings_json(const std::vector<std::string>& values);
boost::json::array filter_options_json(const std::vector<FilterOption>& options);
boost::json::object archive_json(const ArchiveOutcome& outcome);

}  // namespace achilles::server
