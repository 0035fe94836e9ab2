#pragma once
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/auto_resolve.hpp"
#include "achilles/domain/defender_credentials.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_graph.hpp"
#include "achilles/ports/defender_settings_store.hpp"
#include "achilles/ports/defender_store.hpp"

namespace achilles {

// How much one auto-resolution pass may do.
struct AutoResolveOptions {
  std::size_t max_per_pass = 30;
  std::int64_t max_duration_ms = 30'000;
};

// The original's pass counters (defender-spec §8.2).
struct AutoResolvePassResult {
  std::string mode = "disabled";
  std::int64_t candidates = 0;
  std::int64_t patched = 0;
  std::int64_t would_patch = 0;
  std::int64_t skipped = 0;
  std::vector<std::string> errors;
  std::int64_t duration_ms = 0;
};

// The auto-resolution mode and what it resolved lately.
struct AutoResolveStatus {
  std::string mode = "disabled";
  std::optional<std::string> since;  // enabled without backfill: the cut-off
  std::int64_t last_24h = 0, last_7d = 0, last_30d = 0;
  std::optional<AutoResolvePassResult> last_pass;
};

// Closes in Microsoft Defender the alerts our own simulations caused
// (defender-spec §8), with a receipt for every decision. Which alerts: those
// enrichment correlated with a test, still `new` in Graph, that we have not
// settled. In `dry_run` nothing is written to Graph; in `enabled` an alert is
// resolved (classification informationalExpectedActivity, determination
// securityTesting) and commented. The original's traps are fixed: an alert a
// dry run recorded is still resolved once enabled; switching on without
// `backfill` leaves alerts created before the switch alone.
class DefenderAutoResolveService {
public:
  using CredentialsSource = std::function<std::optional<DefenderCredentials>()>;
  using Elapsed = std::function<std::int64_t()>;
  DefenderAutoResolveService(DefenderStore& store, const DefenderGraph& graph, DefenderSettingsStore& settings,
                             CredentialsSource credentials, const Clock& clock, Elapsed elapsed_ms);

  // One pass (after an alert sync); never throws: failures are in `errors`.
  AutoResolvePassResult run(const AutoResolveOptions& options = {});

  // InvalidArgument for an unknown mode, or while no integration is configured.
  void set_mode(const std::string& mode, bool backfill);
  AutoResolveStatus status() const;
  ReceiptPage receipts(std::size_t limit, std::size_t offset) const;

  static std::string comment_for(const std::string& test_uuid);

private:
  std::vector<AlertDocument> candidates(const std::string& mode, const std::optional<std::string>& since,
                                        std::size_t limit) const;
  void decide(AutoResolvePassResult& result, const AlertDocument& alert, const std::string& mode, const std::string& outcome,
              const std::string& detail, bool settle);

  DefenderStore& store_;
  const DefenderGraph& graph_;
  DefenderSettingsStore& settings_;
  CredentialsSource credentials_;
  const Clock& clock_;
  Elapsed elapsed_ms_;
  mutable std::mutex last_mutex_;
  std::optional<AutoResolvePassResult> last_pass_;
  std::int64_t receipts_made_ = 0;
};

}  // namespace achilles
