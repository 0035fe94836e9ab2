#pragma once
#include <string>
#include <vector>

#include "achilles/services/analytics_context.hpp"

namespace achilles {

// How many results ended with one exit code.
struct ErrorTypeCount {
  std::string name;  // canonical name of the code, or "Unknown (<code>)"
  std::int64_t code = 0;
  std::int64_t count = 0;
};

// protected: f0rtika.is_protected is true; unprotected: it is stored false,
// inconclusive executions included (the writer sets false for every code but
// 105/126/127). A document without the field is in neither column, as in the
// original's two filter sub-aggregations.
struct CoverageRow {
  std::string key;
  std::int64_t protected_count = 0;
  std::int64_t unprotected_count = 0;
};

// One cell of the host-test matrix: how often a test ran on a host.
struct HostTestCell {
  std::string hostname;
  std::string test_name;
  std::int64_t count = 0;
};

// §3.5: coverage aggregates over BASE_FB (no conclusive restriction).
class CoverageService {
public:
  explicit CoverageService(AnalyticsContext context) : ctx_(std::move(context)) {}

  std::vector<ErrorTypeCount> results_by_error_type(const FilteredRequest& r, const Principal& caller) const;
  std::vector<CoverageRow> test_coverage(const FilteredRequest& r, const Principal& caller) const;
  std::vector<CoverageRow> technique_distribution(const FilteredRequest& r, const Principal& caller) const;
  // The first 1000 (hostname, test) cells, hostname then test name ascending.
  std::vector<HostTestCell> host_test_matrix(const FilteredRequest& r, const Principal& caller) const;

private:
  std::vector<CoverageRow> coverage(const FilteredRequest& r, const Principal& caller, KeywordField field) const;
  AnalyticsContext ctx_;
};

}  // namespace achilles
