#include "achilles/services/defender_auto_resolve_service.hpp"

#include "achilles/defender/alert_evidence.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles {

DefenderAutoResolveService::DefenderAutoResolveService(DefenderStore& store, const DefenderGraph& graph,
                                                       DefenderSettingsStore& settings, CredentialsSource credentials,
                                                       const Clock& clock, Elapsed elapsed_ms)
    : store_(store),
      graph_(graph),
      settings_(settings),
      credentials_(std::move(credentials)),
      clock_(clock),
      elapsed_ms_(std::move(elapsed_ms)) {}

std::string DefenderAutoResolveService::comment_for(const std::string& test_uuid) {
  return "Achilles test " + test_uuid +
         " \u2014 authorized continuous validation. Resolved automatically by Project Achilles.";
}

std::vector<AlertDocument> DefenderAutoResolveService::candidates(const std::string& mode, const std::optional<std::string>& since,
                                                                  std::size_t limit) const {
  AlertQuery ours;
  ours.status = "new";  // only what nobody has touched in Defender
  ours.correlated = true;
  const AlertPageQuestion oldest_first{AlertSortField::CreatedAt, false, 0, limit};
  std::vector<AlertDocument> out;
  if (mode == "enabled") {
    // First what a dry run already recorded as "would resolve", whenever created.
    AlertQuery recorded = ours;
    recorded.auto_resolve_modes = std::vector<std::string>{"dry_run"};
    out = store_.find_alerts(recorded, oldest_first).alerts;
  }
  if (out.size() >= limit) return out;
  AlertQuery fresh = ours;
  fresh.auto_resolve_modes = std::vector<std::string>{""};
  if (mode == "enabled" && since)
    if (const auto t = alert_time_ms(*since)) fresh.created_from_ms = *t;
  for (auto& a : store_.find_alerts(fresh, {AlertSortField::CreatedAt, false, 0, limit - out.size()}).alerts)
    out.push_back(std::move(a));
  return out;
}

void DefenderAutoResolveService::decide(AutoResolvePassResult& result, const AlertDocument& alert, const std::string& mode,
                                        const std::string& outcome, const std::string& detail, bool settle) {
  const std::string now = format_iso_millis(clock_.now_ms());
  AutoResolveReceipt r;
  r.id = std::to_string(clock_.now_ms()) + "-" + std::to_string(++receipts_made_) + "-" + alert.id;
  r.at = now;
  r.alert_doc_id = alert.id;
  r.alert_id = alert.alert_id;
  r.alert_title = alert.alert_title;
  r.severity = alert.severity;
  r.test_uuid = alert.f0rtika.achilles_test_uuid.value_or("");
  r.mode = mode;
  r.outcome = outcome;
  r.detail = detail;
  try {
    store_.add_receipt(r);
  } catch (const std::exception& e) {
    result.errors.push_back("receipt " + alert.alert_id + ": " + e.what());
  }
  if (!settle) return;
  // On the alert, so it is not decided again (and the alert list shows it).
  AlertAnnotations mark;
  mark.auto_resolved = outcome != "skipped";
  mark.auto_resolved_at = now;
  mark.auto_resolve_mode = outcome == "skipped" ? "skipped" : mode;
  if (outcome == "not_found") mark.auto_resolve_error = "not_found";
  try {
    store_.annotate_alert(alert.id, mark);
  } catch (const std::exception& e) {
    result.errors.push_back("mark " + alert.alert_id + ": " + e.what());
  }
}

AutoResolvePassResult DefenderAutoResolveService::run(const AutoResolveOptions& options) {
  AutoResolvePassResult result;
  const std::int64_t started = elapsed_ms_();
  const auto finish = [&] {
    result.duration_ms = elapsed_ms_() - started;
    std::lock_guard lock(last_mutex_);
    last_pass_ = result;
    return result;
  };
  StoredDefenderSettings settings;
  try {
    settings = settings_.read();
  } catch (const std::exception& e) {
    result.errors.push_back(std::string("pass: ") + e.what());
    return finish();
  }
  result.mode = settings.auto_resolve_mode;
  if (result.mode == "disabled") return finish();
  std::optional<DefenderCredentials> credentials;
  if (result.mode == "enabled") {
    credentials = credentials_();
    if (!credentials || !credentials->complete()) {
      result.errors.push_back("pass: Defender integration is not configured");
      return finish();
    }
  }
  std::vector<AlertDocument> alerts;
  try {
    alerts = candidates(result.mode, settings.auto_resolve_since, options.max_per_pass);
  } catch (const std::exception& e) {
    result.errors.push_back(std::string("pass: ") + e.what());
    return finish();
  }
  result.candidates = static_cast<std::int64_t>(alerts.size());
  for (const auto& alert : alerts) {
    if (elapsed_ms_() - started > options.max_duration_ms) break;
    const std::string test = alert.f0rtika.achilles_test_uuid.value_or("");
    if (alert.alert_id.empty() || test.empty()) {
      ++result.skipped;
      decide(result, alert, result.mode, "skipped", alert.alert_id.empty() ? "no Graph alert id" : "no matched test", true);
      continue;
    }
    if (result.mode == "dry_run") {
      ++result.would_patch;
      decide(result, alert, "dry_run", "would_resolve", "", true);
      continue;
    }
    try {
      graph_.resolve_alert(*credentials, alert.alert_id);
    } catch (const GraphWriteFailure& e) {
      if (e.status() == 404) {  // gone upstream: nothing left to resolve
        result.errors.push_back(alert.alert_id + ": not_found");
        decide(result, alert, "enabled", "not_found", e.what(), true);
        continue;
      }
      decide(result, alert, "enabled", "failed", e.what(), false);  // tried again next pass
      if (e.status() == 403) {
        // Missing permission: every other alert would fail the same way.
        result.errors.push_back(std::string("403: ") + e.what());
        break;
      }
      result.errors.push_back(alert.alert_id + ": " + e.what());
      continue;
    } catch (const std::exception& e) {
      result.errors.push_back(alert.alert_id + ": " + e.what());
      decide(result, alert, "enabled", "failed", e.what(), false);
      continue;
    }
    ++result.patched;
    std::string detail;
    try {
      graph_.comment_on_alert(*credentials, alert.alert_id, comment_for(bundle_uuid_of(test)));
    } catch (const std::exception& e) {
      detail = std::string("resolved; the audit comment failed: ") + e.what();  // best effort, as the original
    }
    decide(result, alert, "enabled", "resolved", detail, true);
  }
  return finish();
}

void DefenderAutoResolveService::set_mode(const std::string& mode, bool backfill) {
  if (!is_auto_resolve_mode(mode))
    throw InvalidArgument("Invalid auto_resolve_mode: " + mode + ". Must be one of: disabled, dry_run, enabled");
  const auto current = settings_.read();
  const bool configured = (current.saved && current.saved->complete()) || current.environment;
  if (!configured) throw InvalidArgument("Cannot set auto_resolve_mode: Defender integration is not configured");
  std::optional<std::string> since;
  if (mode == "enabled" && !backfill)
    since = current.auto_resolve_mode == "enabled" && current.auto_resolve_since ? current.auto_resolve_since
                                                                                  : format_iso_millis(clock_.now_ms());
  settings_.save_auto_resolve(mode, since);
}

AutoResolveStatus DefenderAutoResolveService::status() const {
  AutoResolveStatus s;
  try {
    const auto settings = settings_.read();
    s.mode = settings.auto_resolve_mode;
    s.since = settings.auto_resolve_since;
  } catch (const std::exception&) {
  }
  const std::int64_t now = clock_.now_ms();
  // As the original: a store that cannot count shows zeros, never a failure.
  auto count = [&](std::int64_t window) -> std::int64_t {
    try {
      return store_.count_settled_receipts(now - window);
    } catch (const std::exception&) {
      return 0;
    }
  };
  s.last_24h = count(kMillisPerDay);
  s.last_7d = count(7 * kMillisPerDay);
  s.last_30d = count(30 * kMillisPerDay);
  std::lock_guard lock(last_mutex_);
  s.last_pass = last_pass_;
  return s;
}

ReceiptPage DefenderAutoResolveService::receipts(std::size_t limit, std::size_t offset) const {
  try {
    return store_.receipts(limit, offset);
  } catch (const std::exception&) {
    return {};  // as the original: an empty list, never a failure
  }
}

}  // namespace achilles
