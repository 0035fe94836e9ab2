#include "achilles/services/catalog_service.hpp"

#include <algorithm>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/services/breakdown_service.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {
namespace {

// A catalog ignores every parameter; a caller bound to an org still sees
// only that org (D9).
ResultFilter caller_scope(ResultFilter f, const Principal& caller) {
  if (!caller.org_id.empty()) f.keywords.push_back({{KeywordField::OrgId}, {caller.org_id}});
  return f;
}

std::vector<std::string> keys(const std::vector<Bucket>& buckets) {
  std::vector<std::string> out;
  for (const auto& b : buckets) out.push_back(b.key);
  return out;
}

}  // namespace

std::int64_t CatalogService::unique_hostnames(const FilteredRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  return ctx_.index.distinct_count(base_filter_bar(params, now), KeywordField::Hostname);
}

std::int64_t CatalogService::unique_tests(const FilteredRequest& r, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(r, caller);
  return ctx_.index.distinct_count(base_filter_bar(params, now), KeywordField::TestUuid);
}

CanonicalTestCount CatalogService::canonical_test_count(const CanonicalTestCountRequest& r, const Principal& caller) const {
  const std::int64_t now = r.now_ms;
  FilterParams params;
  params.org = r.org;
  params = scoped_to(params, caller);
  CanonicalTestCount out;
  out.days = r.days;
  ResultFilter filter = base_filter(params, now);
  filter.from_ms = now - out.days * 86'400'000LL;
  const BatchedQuestion both[] = {DistinctAsk{filter, KeywordField::TestName},
                                  BreakdownAsk{filter, BreakdownQuestion::top(Dimension::keyword(KeywordField::TestName), 500)}};
  const auto answers = ctx_.index.ask_all(both);
  out.count = std::get<std::int64_t>(answers[0]);
  out.tests = keys(std::get<std::vector<Bucket>>(answers[1]));
  return out;
}

std::vector<std::string> CatalogService::organizations(const Principal& caller) const {
  ResultFilter every_document;  // no query at all in the original: not even the test-data rule
  every_document.test_data_only = false;
  every_document.requires_event_time = false;
  return keys(ctx_.index.breakdown(caller_scope(every_document, caller), BreakdownQuestion::top(Dimension::keyword(KeywordField::OrgId), 50)));
}

std::vector<std::string> CatalogService::catalog(const Principal& caller, KeywordField field, std::size_t size) const {
  return keys(ctx_.index.breakdown(caller_scope(test_data_filter(), caller), BreakdownQuestion::top(Dimension::keyword(field), size)));
}

std::vector<std::string> CatalogService::available_tests(const Principal& caller) const {
  return catalog(caller, KeywordField::TestName, 100);
}

std::vector<std::string> CatalogService::available_techniques(const Principal& caller) const {
  return catalog(caller, KeywordField::Techniques, 100);
}

std::vector<std::string> CatalogService::executed_test_uuids(const Principal& caller) const {
  return catalog(caller, KeywordField::TestUuid, 10000);
}

std::vector<FilterOption> CatalogService::options(OptionList list, const FilteredRequest& r, const Principal& caller) const {
  FilterParams params;
  params.org = r.filters.org;
  params.from = r.filters.from;
  params.to = r.filters.to;
  const ResultFilter filter = options_filter(scoped_to(params, caller));

  auto keyword_options = [&](KeywordField field, std::size_t size) {
    std::vector<FilterOption> out;
    for (const auto& b : ctx_.index.breakdown(filter, BreakdownQuestion::top(Dimension::keyword(field), size)))
      out.push_back({b.key, b.key, b.documents});
    return out;
  };
  switch (list) {
    case OptionList::Hostnames: return keyword_options(KeywordField::Hostname, 200);
    case OptionList::Categories: return keyword_options(KeywordField::Category, 50);
    case OptionList::ThreatActors: return keyword_options(KeywordField::ThreatActor, 100);
    case OptionList::Tags: return keyword_options(KeywordField::Tags, 200);
    case OptionList::BundleNames: return keyword_options(KeywordField::BundleName, 50);
    case OptionList::Severities: {
      auto out = keyword_options(KeywordField::Severity, 10);
      for (auto& o : out)
        if (!o.label.empty()) o.label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(o.label[0])));
      std::stable_sort(out.begin(), out.end(), [](const FilterOption& a, const FilterOption& b) {
        return severity_rank(a.value) < severity_rank(b.value);
      });
      return out;
    }
    case OptionList::ErrorNames:
    case OptionList::ErrorCodes: {
      std::vector<FilterOption> out;
      for (const auto& b : ctx_.index.breakdown(filter, BreakdownQuestion::top(Dimension::error_code(), 50))) {
        const std::string name = resolve_error_name(std::stoll(b.key), "");
        if (list == OptionList::ErrorNames)
          out.push_back({name, name, b.documents});
        else
          out.push_back({b.key, b.key + " (" + name + ")", b.documents});
      }
      return out;
    }
  }
  return {};
}

}  // namespace achilles
