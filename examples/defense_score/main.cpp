// The defense score of a few result documents, computed in-process: the
// documents go into the in-memory column store (an adapter of the results
// port), and the same use case the server's /api/analytics/defense-score
// runs answers from it.
#include <cstdio>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/domain/result_document.hpp"
#include "achilles/embedded/column_store.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/services/defense_score_service.hpp"

namespace {

// One execution of a test on a host, as the original's writer stores it.
achilles::ResultDocument execution(std::string id, std::int64_t at_ms, std::string host, std::int64_t exit_code,
                                   bool is_protected) {
  achilles::ResultDocument d;
  d.id = std::move(id);
  d.event_time_ms = at_ms;
  d.hostname = std::move(host);
  d.error_code = exit_code;
  d.test_uuid = "4f0ad1b6-3c33-4c3e-9a0e-6a2a1e1f7b10";
  d.test_name = "Credential dumping via LSASS";
  d.techniques = std::vector<std::string>{"T1003.001"};
  d.is_protected = is_protected;
  return d;
}

}  // namespace

int main() {
  const achilles::SystemClock clock;
  const std::int64_t now = clock.now_ms(), hour = 3'600'000;
  std::vector<achilles::ResultDocument> documents{
      execution("run-1", now - 1 * hour, "WS-FIN-01", 126, true),   // quarantined on execution
      execution("run-2", now - 2 * hour, "WS-FIN-02", 105, true),   // file quarantined on extraction
      execution("run-3", now - 3 * hour, "WS-HR-01", 101, false),   // the attack ran: unprotected
  };

  achilles::embedded::ColumnStore store;
  store.append(documents);

  const achilles::DefenseScoreService scores(achilles::AnalyticsContext{store, clock});
  achilles::FilteredRequest last_week;  // no dates: the last 7 days, as the dashboard asks
  last_week.now_ms = now;
  const auto score = scores.score(last_week, achilles::Principal::with_role("example", achilles::Role::Admin));

  std::printf("defense score %.2f%% (%lld protected of %lld executions)\n", score.score,
              static_cast<long long>(score.protected_count), static_cast<long long>(score.total_executions));
  return score.total_executions == 3 ? 0 : 1;
}
