#pragma once
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/defender_credentials.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_graph.hpp"
#include "achilles/ports/defender_store.hpp"
#include "achilles/services/defender_auto_resolve_service.hpp"
#include "achilles/services/defender_enrichment_service.hpp"

namespace achilles {

// What one step of a sync stored, and what failed.
struct DefenderStepResult {
  std::int64_t synced = 0;
  std::vector<std::string> errors;
};

// What a sync stored: scores, controls, alerts, then enrichment.
struct DefenderSyncResult {
  DefenderStepResult scores;
  DefenderStepResult controls;
  DefenderStepResult alerts;
  std::optional<EnrichmentResult> enrichment;  // when enrichment is wired in
  std::optional<AutoResolvePassResult> auto_resolve;  // when auto-resolve is wired in
  std::string timestamp;
};

// One pass of one kind, manual or scheduled (REC-25: every pass shows).
struct DefenderPass {
  std::string kind;  // "scores", "controls", "alerts", "all"
  std::string finished_at;
  DefenderStepResult result;
  bool scheduled = false;
};

// When each kind of Defender data last synced, and whether a sync runs now.
struct DefenderSyncStatus {
  std::optional<std::string> last_score_sync;
  std::optional<std::string> last_control_sync;
  std::optional<std::string> last_alert_sync;
  std::optional<DefenderSyncResult> last_sync_result;
  std::optional<DefenderPass> last_pass;
  std::optional<EnrichmentResult> last_enrichment;  // of any pass, scheduled ones too
  std::optional<std::string> last_error;
  bool running = false;
};

// Keeps the local copy of Secure Scores, control profiles and alerts current
// (defender-spec §5) with the REC fixes issue 13 takes: one sync at a time
// (REC-1), the alert watermark taken before Graph is asked (REC-10) and kept
// with its version in the store (REC-8), every pass in the status (REC-25).
class DefenderSyncService {
public:
  // The alert documents' shape version: a change forces a full alert re-sync.
  static constexpr int kAlertSyncVersion = 3;
  static constexpr std::int64_t kInitialAlertDays = 90;

  using CredentialsSource = std::function<std::optional<DefenderCredentials>()>;
  DefenderSyncService(const DefenderGraph& graph, DefenderStore& store, CredentialsSource credentials, const Clock& clock)
      : graph_(graph), store_(store), credentials_(std::move(credentials)), clock_(clock) {}

  // Scores, controls and alerts, one after another. Throws InvalidArgument
  // "Defender integration is not configured" without credentials, Conflict
  // "A Defender sync is already running" while another runs. Graph and store
  // failures are reported in the result, never thrown.
  DefenderSyncResult sync_all(bool scheduled = false);
  // The scheduler's passes: skipped when another sync was running or nothing
  // is configured; with errors when Graph or the store failed a step (the
  // errors are in status(), as for sync_all).
  enum class PassOutcome { Skipped, Clean, WithErrors };
  PassOutcome sync_scores_and_controls(bool scheduled = true);
  PassOutcome sync_alerts_pass(bool scheduled = true);

  DefenderSyncStatus status() const;

  // Run after every alert sync (manual or scheduled), inside the same turn:
  // enrichment now, auto-resolve later (defender-spec §1.1, §5.5).
  using AfterAlerts = std::function<EnrichmentResult()>;
  void after_alerts(AfterAlerts enrich) { enrich_ = std::move(enrich); }
  using AfterEnrichment = std::function<AutoResolvePassResult()>;
  void after_enrichment(AfterEnrichment auto_resolve) { auto_resolve_ = std::move(auto_resolve); }

private:
  DefenderStepResult sync_secure_scores(const DefenderCredentials& credentials);
  DefenderStepResult sync_control_profiles(const DefenderCredentials& credentials);
  DefenderStepResult sync_alerts(const DefenderCredentials& credentials);
  DefenderCredentials required_credentials() const;
  void record(const std::string& kind, const DefenderStepResult& result, bool scheduled);
  std::string now_iso() const;

  const DefenderGraph& graph_;
  DefenderStore& store_;
  CredentialsSource credentials_;
  const Clock& clock_;
  std::mutex running_;  // REC-1: one sync at a time
  mutable std::mutex status_mutex_;
  DefenderSyncStatus status_;
  AfterAlerts enrich_;
  AfterEnrichment auto_resolve_;
};

}  // namespace achilles
