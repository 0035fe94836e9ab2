#include "app/defender_scheduler.hpp"

#include "achilles/errors.hpp"
#include "achilles/log/log.hpp"
#include "achilles/metrics/process_metrics.hpp"

namespace achilles::server {

DefenderScheduler::DefenderScheduler(DefenderSyncService& sync, std::function<bool()> configured, DefenderSchedule schedule,
                                     std::function<bool()> holds_lease)
    : sync_(sync), configured_(std::move(configured)), holds_lease_(std::move(holds_lease)), schedule_(schedule) {}

DefenderScheduler::~DefenderScheduler() { stop(); }

void DefenderScheduler::start() { thread_ = std::thread([this] { run(); }); }

void DefenderScheduler::request_stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
}

void DefenderScheduler::stop() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void DefenderScheduler::run() {
  using Clock = std::chrono::steady_clock;
  bool was_configured = false;
  Clock::time_point next_alerts, next_scores;
  using Outcome = DefenderSyncService::PassOutcome;
  // A pass's errors (Graph or the store failing a step) are in its result,
  // not thrown: they count as failed runs too.
  auto guarded = [](const char* what, const char* job, const std::function<Outcome()>& pass) {
    const char* result = "failed";
    try {
      const Outcome outcome = pass();
      result = outcome == Outcome::Clean ? "ok" : outcome == Outcome::Skipped ? "skipped" : "failed";
    } catch (const Conflict& e) {  // a manual sync holds the turn
      result = "skipped";
      log_event(LogLevel::Warn, "defender", std::string(what) + " skipped: " + e.what());
    } catch (const InvalidArgument& e) {  // not configured after all
      result = "skipped";
      log_event(LogLevel::Warn, "defender", std::string(what) + " skipped: " + e.what());
    } catch (const std::exception& e) {  // the settings unreadable, enrichment failing, ...
      log_event(LogLevel::Error, "defender", std::string(what) + " failed: " + e.what());
    } catch (...) {
      log_event(LogLevel::Error, "defender", std::string(what) + " failed");
    }
    metrics::ProcessMetrics::process().job_ran(job, result);
  };
  for (;;) {
    bool configured = false;
    try {
      // Configured, and this instance is the one that syncs: a lease lost
      // to another instance reads as not configured until it is won back.
      configured = configured_() && holds_lease_();
    } catch (const std::exception& e) {
      log_event(LogLevel::Warn, "defender", std::string("cannot read the Defender settings: ") + e.what());
    }
    const auto now = Clock::now();
    if (configured && !was_configured) {
      guarded("full sync", "defender_full_sync", [this] {
        const auto r = sync_.sync_all(true);
        const bool clean = r.scores.errors.empty() && r.controls.errors.empty() && r.alerts.errors.empty() &&
                           (!r.enrichment || r.enrichment->errors.empty()) &&
                           (!r.auto_resolve || r.auto_resolve->errors.empty());
        return clean ? Outcome::Clean : Outcome::WithErrors;
      });
      next_alerts = Clock::now() + schedule_.alerts;
      next_scores = Clock::now() + schedule_.scores_and_controls;
    } else if (configured) {
      if (now >= next_alerts) {
        guarded("alert sync", "defender_alert_sync", [this] { return sync_.sync_alerts_pass(true); });
        next_alerts = Clock::now() + schedule_.alerts;
      }
      if (now >= next_scores) {
        guarded("score and control sync", "defender_score_and_control_sync",
                [this] { return sync_.sync_scores_and_controls(true); });
        next_scores = Clock::now() + schedule_.scores_and_controls;
      }
    }
    was_configured = configured;
    auto until = Clock::now() + schedule_.check;
    if (configured) until = std::min({until, next_alerts, next_scores});
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, until, [this] { return stopping_; })) return;
  }
}

}  // namespace achilles::server
