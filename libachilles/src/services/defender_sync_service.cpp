#include "achilles/services/defender_sync_service.hpp"

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::string first_error(const DefenderStepResult& r) { return r.errors.empty() ? std::string() : r.errors.front(); }

}  // namespace

std::string DefenderSyncService::now_iso() const { return format_iso_millis(clock_.now_ms()); }

DefenderCredentials DefenderSyncService::required_credentials() const {
  auto credentials = credentials_();
  if (!credentials || !credentials->complete()) throw InvalidArgument("Defender integration is not configured");
  return *credentials;
}

void DefenderSyncService::record(const std::string& kind, const DefenderStepResult& result, bool scheduled) {
  std::lock_guard lock(status_mutex_);
  status_.last_pass = DefenderPass{kind, now_iso(), result, scheduled};
  if (!result.errors.empty()) status_.last_error = first_error(result);
}

DefenderStepResult DefenderSyncService::sync_secure_scores(const DefenderCredentials& credentials) {
  DefenderStepResult r;
  try {
    std::vector<SecureScoreDocument> docs;
    for (const auto& score : graph_.secure_scores(credentials)) docs.push_back(secure_score_document(score));
    DefenderWrite written{0, {}};
    if (!docs.empty()) written = store_.put_secure_scores(docs);
    r.synced = written.written;
    r.errors = std::move(written.errors);
    const std::string at = now_iso();
    auto marks = store_.watermarks();
    marks.last_score_sync = at;
    store_.save_watermarks(marks);
    std::lock_guard lock(status_mutex_);
    status_.last_score_sync = at;
  } catch (const std::exception& e) {
    r.errors.emplace_back(e.what());
  }
  return r;
}

DefenderStepResult DefenderSyncService::sync_control_profiles(const DefenderCredentials& credentials) {
  DefenderStepResult r;
  try {
    const std::string at = now_iso();
    std::vector<ControlProfileDocument> docs;
    for (const auto& profile : graph_.control_profiles(credentials))
      docs.push_back(control_profile_document(profile, credentials.tenant_id, at));
    auto written = store_.replace_control_profiles(docs);
    r.synced = written.written;
    r.errors = std::move(written.errors);
  } catch (const std::exception& e) {
    r.errors.emplace_back(e.what());
  }
  // As the original: the control watermark moves whether or not the pass worked.
  std::lock_guard lock(status_mutex_);
  status_.last_control_sync = now_iso();
  return r;
}

DefenderStepResult DefenderSyncService::sync_alerts(const DefenderCredentials& credentials) {
  DefenderStepResult r;
  try {
    auto marks = store_.watermarks();
    // REC-10: the new watermark is the moment before Graph is asked, so an
    // alert updated while this sync runs is fetched again next time.
    const std::string started = now_iso();
    DefenderGraph::AlertWindow window;
    if (marks.sync_version == kAlertSyncVersion && marks.last_alert_sync) window.updated_since = marks.last_alert_sync;
    window.created_since = format_iso_millis(clock_.now_ms() - kInitialAlertDays * kDayMs);
    std::vector<AlertDocument> docs;
    for (const auto& alert : graph_.alerts(credentials, window)) docs.push_back(alert_document(alert, credentials.tenant_id));
    DefenderWrite written{0, {}};
    if (!docs.empty()) written = store_.upsert_alerts(docs);
    r.synced = written.written;
    r.errors = std::move(written.errors);
    marks = store_.watermarks();
    marks.last_alert_sync = started;
    marks.sync_version = kAlertSyncVersion;  // REC-8: kept with the watermark
    store_.save_watermarks(marks);
    std::lock_guard lock(status_mutex_);
    status_.last_alert_sync = started;
  } catch (const std::exception& e) {
    r.errors.emplace_back(e.what());
  }
  return r;
}

DefenderSyncResult DefenderSyncService::sync_all(bool scheduled) {
  const DefenderCredentials credentials = required_credentials();
  std::unique_lock running(running_, std::try_to_lock);
  if (!running.owns_lock()) throw Conflict("A Defender sync is already running");
  {
    std::lock_guard lock(status_mutex_);
    status_.running = true;
  }
  // However the sync ends (enrichment or auto-resolve may throw), the status
  // stops saying it runs.
  struct NotRunningAtExit {
    DefenderSyncService& s;
    ~NotRunningAtExit() {
      std::lock_guard lock(s.status_mutex_);
      s.status_.running = false;
    }
  } not_running_at_exit{*this};
  DefenderSyncResult result;
  result.scores = sync_secure_scores(credentials);
  result.controls = sync_control_profiles(credentials);
  result.alerts = sync_alerts(credentials);
  if (enrich_) {
    result.enrichment = enrich_();
    std::lock_guard lock(status_mutex_);
    status_.last_enrichment = result.enrichment;
  }
  if (auto_resolve_) result.auto_resolve = auto_resolve_();
  result.timestamp = now_iso();
  DefenderStepResult all;
  all.synced = result.scores.synced + result.controls.synced + result.alerts.synced;
  for (const auto* step : {&result.scores, &result.controls, &result.alerts})
    all.errors.insert(all.errors.end(), step->errors.begin(), step->errors.end());
  record("all", all, scheduled);
  std::lock_guard lock(status_mutex_);
  status_.last_sync_result = result;
  return result;
}

DefenderSyncService::PassOutcome DefenderSyncService::sync_scores_and_controls(bool scheduled) {
  std::unique_lock running(running_, std::try_to_lock);
  if (!running.owns_lock()) return PassOutcome::Skipped;
  const auto credentials = credentials_();
  if (!credentials || !credentials->complete()) return PassOutcome::Skipped;
  const auto scores = sync_secure_scores(*credentials);
  record("scores", scores, scheduled);
  const auto controls = sync_control_profiles(*credentials);
  record("controls", controls, scheduled);
  return scores.errors.empty() && controls.errors.empty() ? PassOutcome::Clean : PassOutcome::WithErrors;
}

DefenderSyncService::PassOutcome DefenderSyncService::sync_alerts_pass(bool scheduled) {
  std::unique_lock running(running_, std::try_to_lock);
  if (!running.owns_lock()) return PassOutcome::Skipped;
  const auto credentials = credentials_();
  if (!credentials || !credentials->complete()) return PassOutcome::Skipped;
  const auto alerts = sync_alerts(*credentials);
  record("alerts", alerts, scheduled);
  bool clean = alerts.errors.empty();
  if (enrich_) {
    auto enrichment = enrich_();
    clean = clean && enrichment.errors.empty();
    std::lock_guard lock(status_mutex_);
    status_.last_enrichment = std::move(enrichment);
  }
  if (auto_resolve_) clean = auto_resolve_().errors.empty() && clean;  // its own status keeps the pass
  return clean ? PassOutcome::Clean : PassOutcome::WithErrors;
}

DefenderSyncStatus DefenderSyncService::status() const {
  std::lock_guard lock(status_mutex_);
  DefenderSyncStatus s = status_;
  if (!s.last_alert_sync || !s.last_score_sync) {
    // Before the first sync of this process, the watermarks of an earlier one.
    try {
      const auto marks = store_.watermarks();
      if (!s.last_alert_sync && marks.sync_version == kAlertSyncVersion) s.last_alert_sync = marks.last_alert_sync;
      if (!s.last_score_sync) s.last_score_sync = marks.last_score_sync;
    } catch (const std::exception&) {
    }
  }
  return s;
}

}  // namespace achilles
