#include "achilles/services/defender_enrichment_service.hpp"

#include <algorithm>
#include <map>

#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

struct Asked {
  std::size_t execution;
  bool stage;
};

}  // namespace

DefenderEnrichmentService::DefenderEnrichmentService(DetectionMarks& results, DefenderStore& alerts, const Clock& clock,
                                                     Elapsed elapsed_ms)
    : results_(results), alerts_(alerts), clock_(clock), elapsed_ms_(std::move(elapsed_ms)) {}

EnrichmentResult DefenderEnrichmentService::run(const EnrichmentOptions& options) {
  EnrichmentResult out;
  const std::int64_t started = elapsed_ms_();
  const std::int64_t now = clock_.now_ms();
  const std::int64_t from = now - options.lookback_days * kMillisPerDay;
  std::optional<ExecutionCursor> after;
  while (elapsed_ms_() - started < options.max_duration_ms) {
    std::vector<UndetectedExecution> batch;
    try {
      batch = results_.undetected_executions(from, now - options.stage_recheck_ms, options.batch_size, after);
    } catch (const std::exception& e) {
      out.errors.push_back(std::string("scan: ") + e.what());
      break;
    }
    if (batch.empty()) break;
    out.scanned += static_cast<std::int64_t>(batch.size());
    ++out.batches;
    after = ExecutionCursor{batch.back().event_time_ms, batch.back().id};

    std::vector<EvidenceQuestion> questions;
    std::vector<Asked> asked;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& e = batch[i];
      const auto wide = e.detected ? std::nullopt : bundle_evidence_question(e.fields);
      const auto stage = e.stage_detected ? std::nullopt : stage_evidence_question(e.fields);
      if (!wide && !stage) {
        ++out.skipped;
        continue;
      }
      if (wide) questions.push_back(*wide), asked.push_back({i, false});
      if (stage) questions.push_back(*stage), asked.push_back({i, true});
    }
    std::vector<EvidenceAnswer> answers;
    if (!questions.empty()) {
      try {
        answers = alerts_.answer_evidence(questions);
      } catch (const std::exception& e) {
        out.errors.push_back(std::string("msearch: ") + e.what());
      }
    }
    // Per execution, in the order first matched: what to set, and the alerts
    // to mark (the first execution matching an alert names its test).
    std::vector<DetectionMark> marks;
    std::map<std::size_t, std::size_t> mark_of;
    std::vector<std::pair<std::string, std::string>> alert_tests;  // alert doc id, bundle uuid
    for (std::size_t k = 0; k < answers.size() && k < asked.size(); ++k) {
      if (!answers[k].error.empty()) {  // the others of the batch still count (§7.2 step 4)
        out.errors.push_back("msearch[" + std::to_string(k) + "/" + (asked[k].stage ? "stage" : "wide") + "]: " + answers[k].error);
        continue;
      }
      if (answers[k].total == 0) continue;
      const auto& e = batch[asked[k].execution];
      auto [it, added] = mark_of.try_emplace(asked[k].execution, marks.size());
      if (added) marks.push_back({e.id, e.index, false, false});
      (asked[k].stage ? marks[it->second].stage_detected : marks[it->second].detected) = true;
      for (const auto& id : answers[k].alert_ids) {
        const bool known = std::any_of(alert_tests.begin(), alert_tests.end(), [&](const auto& a) { return a.first == id; });
        if (!known) alert_tests.emplace_back(id, bundle_uuid_of(e.fields.test_uuid));
      }
    }
    if (!marks.empty()) {
      try {
        const auto applied = results_.mark_detected(marks);
        for (std::size_t i = 0; i < marks.size() && i < applied.size(); ++i) {
          if (!applied[i]) {
            out.errors.push_back("bulk: " + marks[i].id + ": not found");
            continue;
          }
          out.detected += marks[i].detected;
          out.stage_detected += marks[i].stage_detected;
        }
      } catch (const std::exception& e) {
        out.errors.push_back(std::string("bulk: ") + e.what());
      }
      // All the batch's alerts in one write (the original's one _bulk).
      DefenderStore::AlertMarks correlations;
      for (const auto& [id, test] : alert_tests) {
        AlertAnnotations correlation;
        correlation.achilles_correlated = true;
        correlation.achilles_matched_at = format_iso_millis(clock_.now_ms());
        correlation.achilles_test_uuid = test;
        correlations.emplace_back(id, std::move(correlation));
      }
      try {
        const auto found = alerts_.annotate_alerts(correlations);
        for (std::size_t i = 0; i < found.size(); ++i) {
          if (found[i]) ++out.alerts_marked_correlated;
          else out.errors.push_back("bulk: " + correlations[i].first + ": not found");
        }
      } catch (const std::exception& e) {
        out.errors.push_back(std::string("bulk: ") + e.what());
      }
    }
    if (batch.size() < options.batch_size) break;
  }
  out.duration_ms = elapsed_ms_() - started;
  return out;
}

}  // namespace achilles
