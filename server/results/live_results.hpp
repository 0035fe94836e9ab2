#pragma once
#include <memory>
#include <mutex>
#include <string>

#include "achilles/ports/api_keys.hpp"
#include "achilles/ports/cluster_administration.hpp"
#include "achilles/ports/defender_store.hpp"
#include "achilles/ports/detection_marks.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/ports/risk_acceptances.hpp"

namespace achilles::server {

// Which store answers analytics questions right now.
struct ResultsBackend {
  std::string name;  // "embedded" or "elasticsearch"
  std::shared_ptr<const ResultsIndex> index;
  std::shared_ptr<ResultsArchive> archive;
  // Where risk acceptances live beside these results: the embedded store's
  // table, or the cluster's achilles-risk-acceptances index.
  std::shared_ptr<RiskAcceptances> acceptances;
  std::shared_ptr<ClusterAdministration> cluster;  // when a cluster serves
  // Where API keys live beside these results: results.db's api_keys table,
  // or the cluster's achilles-api-keys index. None: keys are not kept.
  std::shared_ptr<ApiKeys> api_keys;
  // The local copy of Defender data: results.db, or the cluster's achilles-defender index.
  std::shared_ptr<DefenderStore> defender;
  // Where enrichment marks executions Defender saw: the same results.
  std::shared_ptr<DetectionMarks> marks;
  // Settings that say "configured" but cannot be used: every question fails
  // with this reason rather than quietly answering from another store.
  std::string problem;
};

// The ResultsIndex, ResultsArchive and RiskAcceptances the API holds for its
// whole life, forwarding to the backend of the moment. Saving settings
// switches the backend; questions under way finish on the one they started with.
class LiveResults final : public ResultsIndex,
                          public ResultsArchive,
                          public RiskAcceptances,
                          public ClusterAdministration,
                          public DetectionMarks {
public:
  explicit LiveResults(ResultsBackend initial);
  void use(ResultsBackend next);
  std::shared_ptr<const ResultsBackend> current() const;
  // The backend this request is pinned to (or the current one); a backend
  // with a problem throws BackendUnavailable with it.
  std::shared_ptr<const ResultsBackend> serving() const { return usable(); }

  // While it lives, every question asked on this thread goes to the backend
  // of the moment it was made: one request reads its acceptances and its
  // results from one store, even if a save switches stores meanwhile.
  class RequestPin {
  public:
    explicit RequestPin(const LiveResults& live);
    ~RequestPin();
    RequestPin(const RequestPin&) = delete;
    RequestPin& operator=(const RequestPin&) = delete;

  private:
    const LiveResults* previous_owner_;
    std::shared_ptr<const ResultsBackend> previous_backend_;
  };

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const override;
  std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const override;
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const override;
  std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const override;
  DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const override;
  RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const override;
  ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const override;
  std::vector<BatchedAnswer> ask_all(std::span<const BatchedQuestion> questions) const override;
  std::size_t archive(const ResultFilter& filter) override;
  std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                         std::size_t limit, const std::optional<ExecutionCursor>& after) const override;
  std::vector<bool> mark_detected(std::span<const DetectionMark> marks) override;

  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& acceptance_id) const override;
  bool revoke(const std::string& acceptance_id, std::int64_t revoked_at_ms, const std::string& revoked_by,
              const std::string& revoked_by_name, const std::string& reason) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

  // The serving cluster; with the embedded store serving, InvalidArgument
  // "Elasticsearch is not configured…" (a 400, as the original's 500 meant).
  std::string version() const override;
  std::vector<ResultIndexSummary> result_indices(const std::string& pattern) const override;
  bool create_result_index(const std::string& name) override;

private:
  std::shared_ptr<ClusterAdministration> cluster() const;
  std::shared_ptr<const ResultsBackend> usable() const;
  mutable std::mutex mutex_;
  std::shared_ptr<const ResultsBackend> backend_;
};

}  // namespace achilles::server
