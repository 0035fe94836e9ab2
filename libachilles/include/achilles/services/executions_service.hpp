#pragma once
#include <vector>

#include "achilles/query/questions.hpp"
#include "achilles/services/analytics_context.hpp"

namespace achilles {

// Where a page sits: its number and size, and how many items and pages there are.
struct Pagination {
  std::int64_t page = 1;
  std::int64_t page_size = 25;
  std::int64_t total_items = 0;  // documents, or runs when grouped
  std::int64_t total_pages = 0;
  bool has_next() const { return page < total_pages; }
  bool has_previous() const { return page > 1; }
};

// One page of the flat executions table.
struct ExecutionPage {
  std::vector<ResultDocument> executions;
  Pagination pagination;
};

// A run of the grouped executions table, with its roll-up (§3.4.3).
struct ExecutionRun {
  RunGroup run;
  std::int64_t protected_count = 0;    // members with exit code 105/126/127
  std::int64_t unprotected_count = 0;  // members with exit code 101
  bool defender_detected = false;
};

// One page of the grouped executions table: runs, with the documents they hold.
struct ExecutionRunPage {
  std::vector<ExecutionRun> runs;
  Pagination pagination;
  std::int64_t total_documents = 0;
};

// Use cases behind the executions tables (GET /executions and /executions/paginated).
class ExecutionsService {
public:
  explicit ExecutionsService(AnalyticsContext context) : ctx_(std::move(context)) {}

  // GET /executions: latest first, org/from/to/limit only (§3.4.1).
  std::vector<ResultDocument> recent(const TopRequest& r, const Principal& caller) const;
  // GET /executions/paginated (§3.4.2) and its grouped form (§3.4.3).
  ExecutionPage paginated(const ExecutionPageRequest& r, const Principal& caller) const;
  ExecutionRunPage grouped(const ExecutionPageRequest& r, const Principal& caller) const;

private:
  AnalyticsContext ctx_;
};

}  // namespace achilles
