#include "results/live_results.hpp"

#include "achilles/errors.hpp"

namespace achilles::server {
namespace {

// The pin of the request this thread is handling, if any.
struct ThreadPin {
  const LiveResults* owner = nullptr;
  std::shared_ptr<const ResultsBackend> backend;
};
thread_local ThreadPin t_pin;

}  // namespace

LiveResults::RequestPin::RequestPin(const LiveResults& live)
    : previous_owner_(t_pin.owner), previous_backend_(std::move(t_pin.backend)) {
  t_pin.owner = &live;
  t_pin.backend = live.current();
}

LiveResults::RequestPin::~RequestPin() {
  t_pin.owner = previous_owner_;
  t_pin.backend = std::move(previous_backend_);
}

LiveResults::LiveResults(ResultsBackend initial) : backend_(std::make_shared<const ResultsBackend>(std::move(initial))) {}

void LiveResults::use(ResultsBackend next) {
  auto fresh = std::make_shared<const ResultsBackend>(std::move(next));
  std::lock_guard lock(mutex_);
  backend_.swap(fresh);
}

std::shared_ptr<const ResultsBackend> LiveResults::current() const {
  std::lock_guard lock(mutex_);
  return backend_;
}

std::shared_ptr<const ResultsBackend> LiveResults::usable() const {
  auto b = t_pin.owner == this ? t_pin.backend : current();
  if (!b->problem.empty()) throw BackendUnavailable(b->problem);
  return b;
}

UnitTally LiveResults::tally(const ResultFilter& f, ScoringMode m) const { return usable()->index->tally(f, m); }
std::vector<Bucket> LiveResults::breakdown(const ResultFilter& f, const BreakdownQuestion& q) const {
  return usable()->index->breakdown(f, q);
}
std::vector<TimeBucket> LiveResults::histogram(const ResultFilter& f, const HistogramQuestion& q) const {
  return usable()->index->histogram(f, q);
}
std::int64_t LiveResults::distinct_count(const ResultFilter& f, KeywordField k) const {
  return usable()->index->distinct_count(f, k);
}
DocumentPage LiveResults::page(const ResultFilter& f, const PageQuestion& q) const { return usable()->index->page(f, q); }
std::vector<KeyPairBucket> LiveResults::key_pairs(const ResultFilter& f, const KeyPairQuestion& q) const {
  return usable()->index->key_pairs(f, q);
}
RunPage LiveResults::run_page(const ResultFilter& f, const PageQuestion& q) const { return usable()->index->run_page(f, q); }
std::vector<UndetectedExecution> LiveResults::undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                                    std::size_t limit,
                                                                    const std::optional<ExecutionCursor>& after) const {
  const auto backend = usable();
  if (!backend->marks) return {};
  return backend->marks->undetected_executions(from_ms, stage_recheck_from_ms, limit, after);
}
std::vector<bool> LiveResults::mark_detected(std::span<const DetectionMark> marks) {
  const auto backend = usable();
  if (!backend->marks) return std::vector<bool>(marks.size(), false);
  return backend->marks->mark_detected(marks);
}
ExecutionTimeline LiveResults::execution_timeline(const ResultFilter& f, bool with_hosts) const {
  return usable()->index->execution_timeline(f, with_hosts);
}
std::vector<BatchedAnswer> LiveResults::ask_all(std::span<const BatchedQuestion> q) const {
  return usable()->index->ask_all(q);
}
std::size_t LiveResults::archive(const ResultFilter& f) { return usable()->archive->archive(f); }

void LiveResults::insert(const RiskAcceptance& a) { usable()->acceptances->insert(a); }
std::optional<RiskAcceptance> LiveResults::find(const std::string& id) const { return usable()->acceptances->find(id); }
bool LiveResults::revoke(const std::string& id, std::int64_t at_ms, const std::string& by, const std::string& by_name,
                         const std::string& reason) {
  return usable()->acceptances->revoke(id, at_ms, by, by_name, reason);
}
std::vector<RiskAcceptance> LiveResults::list(const RiskAcceptanceQuery& q) const { return usable()->acceptances->list(q); }

std::shared_ptr<ClusterAdministration> LiveResults::cluster() const {
  auto b = usable();
  if (!b->cluster) throw InvalidArgument("Elasticsearch is not configured. Configure it in Analytics Settings first.");
  return b->cluster;
}
std::string LiveResults::version() const { return cluster()->version(); }
std::vector<ResultIndexSummary> LiveResults::result_indices(const std::string& pattern) const {
  return cluster()->result_indices(pattern);
}
bool LiveResults::create_result_index(const std::string& name) { return cluster()->create_result_index(name); }

}  // namespace achilles::server
