#include "achilles/services/trend_service.hpp"

#include <algorithm>
#include <map>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/scoring/percent.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kDay = 86'400'000;


struct Counts {
  std::int64_t start_ms;
  std::int64_t a;  // total, or errors
  std::int64_t b;  // protected, or conclusive
};

// Point i sums the `window` buckets ending at i (buckets, not days: with a
// weekly interval a 7 window spans 7 weeks, as in the original); only points
// from `display_from` on are kept.
std::vector<Counts> rolling(const std::vector<Counts>& buckets, int window, std::int64_t display_from) {
  std::vector<Counts> out;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (buckets[i].start_ms < display_from) continue;
    Counts sum{buckets[i].start_ms, 0, 0};
    const std::size_t first = i + 1 >= static_cast<std::size_t>(window) ? i + 1 - static_cast<std::size_t>(window) : 0;
    for (std::size_t k = first; k <= i; ++k) {
      sum.a += buckets[k].a;
      sum.b += buckets[k].b;
    }
    out.push_back(sum);
  }
  return out;
}

std::vector<Counts> score_counts(const std::vector<TimeBucket>& buckets) {
  std::vector<Counts> out;
  for (const auto& b : buckets) {
    const UnitScore s = family_score(b.tally);
    out.push_back({b.start_ms, s.total, s.protected_count});
  }
  return out;
}

ResultFilter with_codes(ResultFilter f, std::vector<std::int64_t> codes) {
  f.exit_codes.push_back({std::move(codes), false});
  return f;
}

}  // namespace

RollingWindow TrendService::rolling_window(const FilterParams& params, int window_days, std::int64_t now_ms) {
  const std::int64_t from = params.from ? params.from->epoch_ms : now_ms - 7 * kDay;
  return {window_days, from - (window_days - 1) * kDay, start_of_day(from)};
}

std::vector<TrendPoint> TrendService::defense_score_trend(const TrendRequest& request, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(request.query, caller);
  const HistogramQuestion question{request.interval, params.scoring_mode};
  const auto window_days = request.window_days;

  ResultFilter raw = defense_score_filter(params, now);
  std::optional<RollingWindow> window;
  if (window_days) {
    window = rolling_window(params, *window_days, now);
    raw.from_ms = window->query_from_ms;
  } else if (request.exclude_cyber_hygiene) {
    raw.attack_simulation_only = true;
  }

  auto series = [&](const BatchedAnswer& answer) {
    auto counts = score_counts(std::get<std::vector<TimeBucket>>(answer));
    return window ? rolling(counts, window->window, window->display_from_ms) : counts;
  };
  auto exclusions = ctx_.exclusions(params.org);
  const bool has_exclusion = !exclusions.empty();
  // With exclusions, the adjusted and the real series together: one round trip to a remote index.
  std::vector<BatchedQuestion> asked{HistogramAsk{with_exclusions(raw, std::move(exclusions)), question}};
  if (has_exclusion) asked.push_back(HistogramAsk{raw, question});
  const auto answers = ctx_.index.ask_all(asked);
  const auto adjusted = series(answers[0]);

  std::map<std::int64_t, Counts> unexcluded;
  if (has_exclusion)
    for (const auto& c : series(answers[1])) unexcluded.emplace(c.start_ms, c);

  std::vector<TrendPoint> points;
  for (const auto& c : adjusted) {
    TrendPoint p{c.start_ms, rounded_percent(c.b, c.a), c.a, c.b, {}, {}, {}};
    if (has_exclusion) {
      auto it = unexcluded.find(c.start_ms);
      const Counts& r = it != unexcluded.end() ? it->second : c;
      p.real_score = rounded_percent(r.b, r.a);
      p.real_total = r.a;
      p.real_protected = r.b;
    }
    points.push_back(p);
  }
  return points;
}

std::vector<ErrorRatePoint> TrendService::error_rate_trend(const TrendRequest& request, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(request.query, caller);
  const HistogramQuestion question{request.interval, ScoringMode::AllStages, {}};
  const RollingWindow window = rolling_window(params, request.window_days.value_or(7), now);

  ResultFilter activity = error_rate_filter(params, now);
  activity.from_ms = window.query_from_ms;
  HistogramQuestion counted = question;
  counted.code_sets = {{kErrorRateCodes.begin(), kErrorRateCodes.end()}, {kConclusiveCodes.begin(), kConclusiveCodes.end()}};
  std::vector<Counts> buckets;  // one question: errors and conclusive counted per bucket
  for (const auto& b : ctx_.index.histogram(activity, counted))
    buckets.push_back({b.start_ms, b.code_set_documents[0], b.code_set_documents[1]});
  std::vector<ErrorRatePoint> points;
  for (const auto& c : rolling(buckets, window.window, window.display_from_ms))
    points.push_back({c.start_ms, rounded_percent(c.a, c.a + c.b), c.a, c.b, c.a + c.b});
  return points;
}

ErrorRate TrendService::error_rate(const FilteredRequest& request, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(request, caller);
  const ResultFilter activity = error_rate_filter(params, now);
  const BatchedQuestion both[] = {
      TallyAsk{with_codes(activity, {kErrorRateCodes.begin(), kErrorRateCodes.end()}), ScoringMode::AllStages},
      TallyAsk{with_codes(activity, {kConclusiveCodes.begin(), kConclusiveCodes.end()}), ScoringMode::AllStages}};
  const auto answers = ctx_.index.ask_all(both);
  const auto errors = std::get<UnitTally>(answers[0]).units();
  const auto conclusive = std::get<UnitTally>(answers[1]).units();
  return {rounded_percent(errors, errors + conclusive), errors, conclusive, errors + conclusive};
}

}  // namespace achilles
