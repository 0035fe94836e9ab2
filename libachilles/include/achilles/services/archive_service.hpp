#pragma once
#include <string>
#include <variant>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles {

// What an archive request did: how many documents left the analytics, and
// every group key it refused with the reason (D11: nothing is hidden).
struct ArchiveOutcome {
  std::size_t archived = 0;
  std::vector<std::string> errors;
};

// §3.7: archived documents leave every query and are kept in the archive.
inline constexpr std::size_t kMaxArchiveKeys = 500;  // group keys per request

// Use case behind POST /executions/archive and /archive-by-date (analytics-spec §3.7).
class ArchiveService {
public:
  ArchiveService(ResultsArchive& archive, const Clock& clock) : archive_(archive), clock_(clock) {}

  // groupKeys as the grouped executions table shows them:
  // bundle::<bundle_id>::<hostname>::<ms> or standalone::<test_uuid>::<hostname>::<ms>.
  // 1..500 keys, each starting with one of the two prefixes (else ValidationFailed).
  ArchiveOutcome archive_runs(const std::vector<std::string>& group_keys, const Principal& caller);

  // Every execution strictly before `before` (an ISO-8601 date or time; date
  // math is refused with ValidationFailed).
  ArchiveOutcome archive_before(const std::string& before, const Principal& caller);

private:
  ResultsArchive& archive_;
  const Clock& clock_;
};


}  // namespace achilles
