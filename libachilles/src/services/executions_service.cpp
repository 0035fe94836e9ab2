#include "achilles/services/executions_service.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/errors.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kMaxRecent = 10000;  // the original's result window

Pagination paginate(const PageQuestion& q, std::int64_t total) {
  const auto size = static_cast<std::int64_t>(q.limit);
  return {static_cast<std::int64_t>(q.offset) / size + 1, size, total, (total + size - 1) / size};
}

}  // namespace

PageQuestion page_question(const QueryParams& q) {
  PageQuestion question;
  std::int64_t page = 1;
  if (auto text = param_value(q, "page")) {
    auto value = js_parse_int(*text);
    if (value && *value < 0) throw InvalidArgument("Invalid 'page': must be 1 or more");
    if (value && *value > 0) page = *value;
  }
  std::int64_t size = 25;
  if (auto text = param_value(q, "pageSize")) {
    auto value = js_parse_int(*text);
    if (value && *value < 0) throw InvalidArgument("Invalid 'pageSize': must be between 1 and 100");
    if (value && *value > 0) size = std::min<std::int64_t>(*value, 100);
  }
  if (page > 1'000'000'000) throw InvalidArgument("Invalid 'page': too large");
  question.limit = static_cast<std::size_t>(size);
  question.offset = static_cast<std::size_t>((page - 1) * size);
  if (auto field = param_value(q, "sortField"); field && !field->empty()) {
    auto parsed = sort_field_from(*field);
    if (!parsed)
      throw InvalidArgument("Invalid 'sortField': '" + *field +
                            "' (expected routing.event_time, f0rtika.test_name, routing.hostname, "
                            "f0rtika.is_protected, f0rtika.severity, f0rtika.category, f0rtika.threat_actor, "
                            "f0rtika.complexity or f0rtika.score)");
    question.sort = *parsed;
  }
  if (auto order = param_value(q, "sortOrder"); order && !order->empty()) {
    if (*order != "asc" && *order != "desc") throw InvalidArgument("Invalid 'sortOrder': '" + *order + "' (expected asc or desc)");
    question.descending = *order == "desc";
  }
  return question;
}

std::vector<ResultDocument> ExecutionsService::recent(const QueryParams& q, const Principal& caller) const {
  const std::int64_t now = ctx_.clock.now_ms();
  FilterParams requested;
  const FilterParams parsed = parse_filter_params(q, now);
  requested.org = parsed.org;
  requested.from = parsed.from;
  requested.to = parsed.to;
  const FilterParams params = scoped_to(requested, caller);
  const auto limit = count_param(q, "limit", 50, 50);
  if (limit > kMaxRecent) throw InvalidArgument("Invalid 'limit': at most 10000");
  PageQuestion question;
  question.limit = static_cast<std::size_t>(limit);
  return ctx_.index.page(base_filter(params, now), question).documents;
}

ExecutionPage ExecutionsService::paginated(const QueryParams& q, const Principal& caller) const {
  const auto [now, params] = ctx_.scoped(q, caller);
  const PageQuestion question = page_question(q);
  auto page = ctx_.index.page(base_filter_bar(params, now), question);
  return {std::move(page.documents), paginate(question, page.total)};
}

ExecutionRunPage ExecutionsService::grouped(const QueryParams& q, const Principal& caller) const {
  const auto [now, params] = ctx_.scoped(q, caller);
  const PageQuestion question = page_question(q);
  RunPage page = ctx_.index.run_page(base_filter_bar(params, now), question);
  ExecutionRunPage out;
  out.pagination = paginate(question, page.total_runs);
  out.total_documents = page.total_documents;
  for (auto& run : page.runs) {
    ExecutionRun r;
    for (const auto& m : run.members) {
      if (m.error_code && is_protected_code(*m.error_code)) ++r.protected_count;
      if (m.error_code == kUnprotectedCode) ++r.unprotected_count;
      r.defender_detected = r.defender_detected || m.defender_detected;
    }
    r.run = std::move(run);
    out.runs.push_back(std::move(r));
  }
  return out;
}

}  // namespace achilles
