#pragma once
#include <string>
#include <vector>

#include "achilles/services/analytics_context.hpp"

namespace achilles {

// One row of a /defense-score/by-* breakdown (analytics-spec §3.3).
struct ScoreRow {
  std::string key;
  double score = 0;
  std::int64_t count = 0;  // scoring units
  std::int64_t protected_count = 0;
  std::int64_t unprotected() const { return count - protected_count; }
  std::vector<ScoreRow> children;  // subcategories, in by-category-subcategory
};

// How well the tests of one threat actor are defended.
struct ThreatActorCoverage {
  std::string threat_actor;
  double coverage = 0;
  std::int64_t test_count = 0;
  std::int64_t protected_count = 0;
  std::int64_t total_executions = 0;
};

// Use cases behind the defense score breakdowns (by test, technique, host, category, ...).
class BreakdownService {
public:
  explicit BreakdownService(AnalyticsContext context) : ctx_(std::move(context)) {}

  std::vector<ScoreRow> by_test(const TopRequest& r, const Principal& caller) const;            // score desc
  std::vector<ScoreRow> by_technique(const FilteredRequest& r, const Principal& caller) const;  // score desc
  // Every tested technique (not only the top 50), by technique id: the
  // ATT&CK Navigator export.
  std::vector<ScoreRow> every_technique(const FilteredRequest& r, const Principal& caller) const;
  std::vector<ScoreRow> by_severity(const FilteredRequest& r, const Principal& caller) const;   // critical..info
  std::vector<ScoreRow> by_category(const FilteredRequest& r, const Principal& caller) const;   // score desc
  std::vector<ScoreRow> by_category_subcategory(const FilteredRequest& r, const Principal& caller) const;
  std::vector<ScoreRow> by_hostname(const TopRequest& r, const Principal& caller) const;        // count desc
  // Only the dates are read; all-stages and EDR-only, as the original.
  std::vector<ScoreRow> by_org(const FilteredRequest& r, const Principal& caller) const;        // score desc
  std::vector<ThreatActorCoverage> threat_actor_coverage(const FilteredRequest& r, const Principal& caller) const;

private:
  std::vector<ScoreRow> rows(const FilteredRequest& r, const Principal& caller, KeywordField field, std::size_t size,
                             std::optional<KeywordField> then_by = std::nullopt) const;
  AnalyticsContext ctx_;
};

// Position in critical, high, medium, low, info; -1 for anything else, which
// the original sorts first.
int severity_rank(const std::string& severity);

}  // namespace achilles
