#include "achilles/ports/results_index.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace achilles {

ExecutionTimeline ResultsIndex::execution_timeline(const ResultFilter& filter, bool with_hosts) const {
  std::map<std::string, TechniqueExecutions> by_technique;
  std::map<std::string, std::uint32_t> host_ids;
  ExecutionTimeline out;
  PageQuestion q;
  q.limit = 1000;
  for (;; q.offset += q.limit) {
    const DocumentPage page = this->page(filter, q);
    for (const auto& d : page.documents) {
      if (!d.event_time_ms) continue;
      std::uint32_t host = 0;
      if (with_hosts) {
        const auto hosts = d.hostname.values();
        const std::string name = hosts.empty() ? std::string() : *std::min_element(hosts.begin(), hosts.end());
        auto [it, added] = host_ids.try_emplace(name, static_cast<std::uint32_t>(out.hosts.size()));
        if (added) out.hosts.push_back(name);
        host = it->second;
      }
      std::set<std::string> seen;
      for (const auto& t : d.techniques.values()) {
        if (t.empty() || !seen.insert(t).second) continue;
        auto& te = by_technique[t];
        te.technique = t;
        te.times_ms.push_back(*d.event_time_ms);
        if (with_hosts) te.host_ids.push_back(host);
      }
    }
    if (page.documents.size() < q.limit) break;
  }
  for (auto& [t, te] : by_technique) out.techniques.push_back(std::move(te));
  return out;
}

std::vector<BatchedAnswer> ResultsIndex::ask_all(std::span<const BatchedQuestion> questions) const {
  std::vector<BatchedAnswer> answers;
  answers.reserve(questions.size());
  for (const auto& question : questions)
    answers.push_back(std::visit(
        [this](const auto& q) -> BatchedAnswer {
          using Q = std::decay_t<decltype(q)>;
          if constexpr (std::is_same_v<Q, TallyAsk>) return tally(q.filter, q.mode);
          else if constexpr (std::is_same_v<Q, BreakdownAsk>) return breakdown(q.filter, q.question);
          else if constexpr (std::is_same_v<Q, HistogramAsk>) return histogram(q.filter, q.question);
          else return distinct_count(q.filter, q.field);
        },
        question));
  return answers;
}

}  // namespace achilles
