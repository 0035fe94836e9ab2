#include "achilles/elasticsearch/elasticsearch_results_index.hpp"

#include "achilles/elasticsearch/detection_marks_dsl.hpp"
#include "achilles/elasticsearch/timeline_dsl.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "achilles/elasticsearch/breakdown_dsl.hpp"
#include "achilles/elasticsearch/multi_search.hpp"
#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/elasticsearch/query_dsl.hpp"
#include "achilles/elasticsearch/result_source.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "achilles/elasticsearch/tally_dsl.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

// Bulk requests stay a few megabytes each.
constexpr std::size_t kBulkBatch = 2'000;

std::int64_t number_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_number() ? it->value().to_number<std::int64_t>() : 0;
}

// Archive failures name the step, as the original's do (§3.7.1).
template <typename Step>
auto archive_step(const std::string& operation, Step step) {
  try {
    return step();
  } catch (const BackendRejected& e) {
    throw BackendRejected("Archive " + operation + ": " + e.what());
  } catch (const BackendUnavailable& e) {
    throw BackendUnavailable("Archive " + operation + ": " + e.what());
  }
}

}  // namespace

std::string archive_index_for(const std::string& read_pattern) {
  std::string base = read_pattern.empty() ? "achilles-results-*" : read_pattern;
  while (!base.empty() && (base.back() == '-' || base.back() == '*')) base.pop_back();
  return "archived-" + base;
}

std::string write_index_for(const ResultIndices& indices, std::optional<std::int64_t> event_time_ms) {
  if (indices.rollover == "none" || !event_time_ms) return indices.write_prefix;
  const CivilDate d = civil_from_days(floor_div(*event_time_ms, kMillisPerDay));
  if (indices.rollover == "monthly") return fmt::format("{}{:04}.{:02}", indices.write_prefix, d.year, d.month);
  return fmt::format("{}{:04}.{:02}.{:02}", indices.write_prefix, d.year, d.month, d.day);
}

ElasticsearchResultsIndex::ElasticsearchResultsIndex(std::shared_ptr<EsTransport> transport, ResultIndices indices)
    : cluster_(std::move(transport)), indices_(std::move(indices)) {}

json::object ElasticsearchResultsIndex::search(const json::object& body) const {
  const json::value request = body;
  json::value answer = cluster_.call("POST", "/" + index_segment(indices_.read_pattern) + "/_search", &request, Idempotent::Yes);
  if (!answer.is_object()) throw BackendUnavailable("Elasticsearch answered a search with something other than an object");
  return std::move(answer.get_object());
}

UnitTally ElasticsearchResultsIndex::tally(const ResultFilter& filter, ScoringMode mode) const {
  return tally_response(search(tally_request(filter, mode)), mode);
}

std::vector<Bucket> ElasticsearchResultsIndex::breakdown(const ResultFilter& filter, const BreakdownQuestion& q) const {
  return breakdown_response(search(breakdown_request(filter, q)), q);
}

std::vector<TimeBucket> ElasticsearchResultsIndex::histogram(const ResultFilter& filter, const HistogramQuestion& q) const {
  return histogram_response(search(histogram_request(filter, q)), q);
}

std::vector<KeyPairBucket> ElasticsearchResultsIndex::key_pairs(const ResultFilter& filter, const KeyPairQuestion& q) const {
  return key_pairs_response(search(key_pairs_request(filter, q)));
}

ExecutionTimeline ElasticsearchResultsIndex::execution_timeline(const ResultFilter& filter, bool with_hosts) const {
  TimelineBuilder timeline(with_hosts);
  std::optional<json::object> after;
  do {
    after = timeline.add_page(search(timeline_page_request(filter, with_hosts, after ? &*after : nullptr)));
  } while (after);
  return timeline.finish();
}

std::vector<UndetectedExecution> ElasticsearchResultsIndex::undetected_executions(std::int64_t from_ms,
                                                                                  std::int64_t stage_recheck_from_ms,
                                                                                  std::size_t limit,
                                                                                  const std::optional<ExecutionCursor>& after) const {
  return undetected_response(search(undetected_request(from_ms, stage_recheck_from_ms, limit, after)));
}

std::vector<bool> ElasticsearchResultsIndex::mark_detected(std::span<const DetectionMark> marks) {
  std::vector<bool> applied(marks.size(), false);
  if (marks.empty()) return applied;
  const json::value answer = cluster_.call_ndjson("/_bulk", detection_marks_bulk(marks), Idempotent::Yes);
  const auto* items = answer.is_object() && answer.get_object().contains("items") ? answer.get_object().at("items").if_array() : nullptr;
  if (!items) throw BackendUnavailable("Elasticsearch answered a bulk request without items");
  for (std::size_t i = 0; i < items->size() && i < applied.size(); ++i) {
    const auto* wrapper = (*items)[i].if_object();
    const auto* item = wrapper && !wrapper->empty() ? wrapper->begin()->value().if_object() : nullptr;
    applied[i] = item && !item->contains("error");
  }
  return applied;
}

std::int64_t ElasticsearchResultsIndex::distinct_count(const ResultFilter& filter, KeywordField field) const {
  return distinct_response(search(distinct_request(filter, field)));
}

DocumentPage ElasticsearchResultsIndex::page(const ResultFilter& filter, const PageQuestion& q) const {
  if (q.limit == 0) {  // only the total is wanted
    PageQuestion count = q;
    count.offset = 0;
    auto page = page_response(search(page_request(filter, count)));
    page.documents.clear();
    return page;
  }
  if (q.offset + q.limit > kMaxResultWindow) return page_past_window(filter, q);
  return page_response(search(page_request(filter, q)));
}

DocumentPage ElasticsearchResultsIndex::page_past_window(const ResultFilter& filter, const PageQuestion& q) const {
  const json::value opened = cluster_.call("POST", "/" + index_segment(indices_.read_pattern) + "/_pit?keep_alive=1m", nullptr,
                                           Idempotent::Yes);
  const auto* id = opened.is_object() && opened.get_object().contains("id") ? opened.get_object().at("id").if_string() : nullptr;
  if (!id) throw BackendUnavailable("Elasticsearch opened a point in time without an id");
  std::string pit_id(*id);
  auto close = [&] {
    try {  // a point in time left open expires by itself after its keep_alive
      const json::value body = json::object{{"id", pit_id}};
      cluster_.call("DELETE", "/_pit", &body, Idempotent::Yes);
    } catch (const std::exception&) {
    }
  };
  try {
    std::optional<json::array> after;
    std::optional<std::int64_t> total;  // counted by the first request only
    auto step = [&](std::size_t size, bool with_source) {
      const json::value body = pit_page_request(filter, q, pit_id, size, after ? &*after : nullptr, with_source, !total);
      // Skipped hits: only their sort values (and the count) come back.
      const char* target = with_source ? "/_search" : "/_search?filter_path=pit_id,hits.total,hits.hits.sort";
      json::value answer = cluster_.call("POST", target, &body, Idempotent::Yes);
      if (!answer.is_object()) throw BackendUnavailable("Elasticsearch answered a search with something other than an object");
      auto& o = answer.get_object();
      if (const auto* next = o.if_contains("pit_id"); next && next->is_string()) pit_id = std::string(next->get_string());
      if (!total) total = page_response(o).total;
      return std::move(o);
    };
    auto empty_page = [&] {
      DocumentPage past;
      past.total = total.value_or(0);
      close();
      return past;
    };
    // Skip to the page, at most a result window at a time.
    for (std::size_t skipped = 0; skipped < q.offset;) {
      const std::size_t size = std::min(kMaxResultWindow, q.offset - skipped);
      const json::object answer = step(size, false);
      if (total && q.offset >= static_cast<std::size_t>(std::max<std::int64_t>(*total, 0))) return empty_page();
      const auto* list = hits_in(answer);
      if (!list || list->size() < size || list->empty()) return empty_page();  // fewer than counted: they changed meanwhile
      const auto* sort = last_sort_values(*list);
      if (!sort) throw BackendUnavailable("Elasticsearch answered a sorted search without sort values");
      after = *sort;
      skipped += size;
    }
    DocumentPage page = page_response(step(q.limit, true));
    page.total = total.value_or(page.total);
    close();
    return page;
  } catch (...) {
    close();
    throw;
  }
}

RunPage ElasticsearchResultsIndex::run_page(const ResultFilter& filter, const PageQuestion& q) const {
  return run_page_response(search(run_page_request(filter, q)), q);
}

std::vector<BatchedAnswer> ElasticsearchResultsIndex::ask_all(std::span<const BatchedQuestion> questions) const {
  if (questions.size() < 2) return ResultsIndex::ask_all(questions);  // a plain _search
  std::vector<json::object> bodies;
  bodies.reserve(questions.size());
  for (const auto& question : questions)
    bodies.push_back(std::visit(
        [](const auto& q) -> json::object {
          using Q = std::decay_t<decltype(q)>;
          if constexpr (std::is_same_v<Q, TallyAsk>) return tally_request(q.filter, q.mode);
          else if constexpr (std::is_same_v<Q, BreakdownAsk>) return breakdown_request(q.filter, q.question);
          else if constexpr (std::is_same_v<Q, HistogramAsk>) return histogram_request(q.filter, q.question);
          else return distinct_request(q.filter, q.field);
        },
        question));
  const auto responses = multi_search(cluster_, indices_.read_pattern, bodies);
  std::vector<BatchedAnswer> answers;
  answers.reserve(questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i)
    answers.push_back(std::visit(
        [&](const auto& q) -> BatchedAnswer {
          using Q = std::decay_t<decltype(q)>;
          if constexpr (std::is_same_v<Q, TallyAsk>) return tally_response(responses[i], q.mode);
          else if constexpr (std::is_same_v<Q, BreakdownAsk>) return breakdown_response(responses[i], q.question);
          else if constexpr (std::is_same_v<Q, HistogramAsk>) return histogram_response(responses[i], q.question);
          else return distinct_response(responses[i]);
        },
        questions[i]));
  return answers;
}

AppendOutcome ElasticsearchResultsIndex::append(std::span<const ResultDocument> documents, OnStoredId on_stored) {
  const char* action_name = on_stored == OnStoredId::Replace ? "index" : "create";
  AppendOutcome outcome;
  for (std::size_t start = 0; start < documents.size(); start += kBulkBatch) {
    const auto batch = documents.subspan(start, std::min(kBulkBatch, documents.size() - start));
    std::string ndjson;
    for (const auto& doc : batch) {
      json::object action{{"_index", write_index_for(indices_, doc.event_time_ms)}};
      if (!doc.id.empty()) action["_id"] = doc.id;
      ndjson += json::serialize(json::object{{action_name, std::move(action)}});
      ndjson += '\n';
      ndjson += json::serialize(encode_result_source(doc));
      ndjson += '\n';
    }
    // Not repeated on a lost answer: a second bulk would report the first's documents as duplicates.
    const json::value answer = cluster_.call_ndjson("/_bulk?refresh=wait_for", ndjson, Idempotent::No);
    const auto* items = answer.is_object() && answer.get_object().contains("items") ? answer.get_object().at("items").if_array() : nullptr;
    if (!items || items->size() != batch.size())
      throw BackendUnavailable("Elasticsearch answered a bulk request without one item per document");
    for (const auto& item : *items) {
      const auto* o = item.if_object();
      const auto* result = o && !o->empty() ? o->begin()->value().if_object() : nullptr;
      const std::int64_t status = result ? number_of(*result, "status") : 0;
      const auto* what = result ? result->if_contains("result") : nullptr;
      const bool updated = what && what->is_string() && what->get_string() == "updated";
      if (status == 201 || (status == 200 && !updated)) ++outcome.added;
      else if (status == 200) ++outcome.replaced;
      else if (status == 409) ++outcome.duplicates;
      else {
        std::string reason = "status " + std::to_string(status);
        if (result && result->contains("error")) reason = es_error_text(json::serialize(json::object{{"error", result->at("error")}}));
        throw BackendRejected(fmt::format("Elasticsearch refused a document ({} stored before it): {}", outcome.added, reason));
      }
    }
  }
  return outcome;
}

std::size_t ElasticsearchResultsIndex::archive(const ResultFilter& filter) {
  const std::string archive = archive_index_for(indices_.read_pattern);
  const bool exists = archive_step("indices.exists(" + archive + ")", [&] { return cluster_.index_exists(archive); });
  if (!exists)
    archive_step("indices.create(" + archive + ")", [&] { return cluster_.create_index(archive, results_index_body()); });
  const json::value query = filter_query(filter);
  const json::value reindex = json::object{{"source", json::object{{"index", indices_.read_pattern}, {"query", query}}},
                                           {"dest", json::object{{"index", archive}}}};
  const json::value copied = archive_step("reindex(" + indices_.read_pattern + " \u2192 " + archive + ")", [&] {
    return cluster_.call("POST", "/_reindex?refresh=true", &reindex, Idempotent::No);
  });
  const std::int64_t total = copied.is_object() ? number_of(copied.get_object(), "total") : 0;
  if (total <= 0) return 0;
  const json::value remove = json::object{{"query", query}};
  archive_step("deleteByQuery(" + indices_.read_pattern + ")", [&] {
    return cluster_.call("POST", "/" + index_segment(indices_.read_pattern) + "/_delete_by_query?refresh=true", &remove,
                         Idempotent::No);
  });
  return static_cast<std::size_t>(total);
}

}  // namespace achilles::elasticsearch
