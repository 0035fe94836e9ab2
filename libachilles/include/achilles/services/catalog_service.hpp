#pragma once
#include <string>
#include <vector>

#include "achilles/services/analytics_context.hpp"

namespace achilles {

// An entry of a filter-bar option list: value, display label, executions.
struct FilterOption {
  std::string value;
  std::string label;
  std::int64_t count = 0;
};

// How many distinct tests ran in a period, and which.
struct CanonicalTestCount {
  std::int64_t count = 0;
  std::vector<std::string> tests;
  std::int64_t days = 90;
};

// Which filter-bar option list (§3.6).
enum class OptionList { Hostnames, Categories, Severities, ThreatActors, Tags, ErrorNames, ErrorCodes, BundleNames };

// §3.6: counts, catalogs and the filter-bar option lists. Catalogs ignore
// the filters (but not the caller's organisation, D9); option lists take
// org/from/to with no default window.
class CatalogService {
public:
  explicit CatalogService(AnalyticsContext context) : ctx_(std::move(context)) {}

  std::int64_t unique_hostnames(const FilteredRequest& r, const Principal& caller) const;
  std::int64_t unique_tests(const FilteredRequest& r, const Principal& caller) const;
  CanonicalTestCount canonical_test_count(const CanonicalTestCountRequest& r, const Principal& caller) const;
  std::vector<std::string> organizations(const Principal& caller) const;  // org ids, most executions first
  std::vector<std::string> available_tests(const Principal& caller) const;
  std::vector<std::string> available_techniques(const Principal& caller) const;
  std::vector<std::string> executed_test_uuids(const Principal& caller) const;
  // Only org, from and to narrow an option list (§3.8).
  std::vector<FilterOption> options(OptionList list, const FilteredRequest& r, const Principal& caller) const;

private:
  std::vector<std::string> catalog(const Principal& caller, KeywordField field, std::size_t size) const;
  AnalyticsContext ctx_;
};

}  // namespace achilles
