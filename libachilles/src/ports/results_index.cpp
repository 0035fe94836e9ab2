#include "achilles/ports/results_index.hpp"

namespace achilles {

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
