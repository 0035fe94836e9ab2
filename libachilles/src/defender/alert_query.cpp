#include "achilles/defender/alert_query.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

bool word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Lowercased words, as the standard analyzer splits text (ASCII letters and
// digits; other bytes of UTF-8 text kept inside words).
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (const unsigned char c : text) {
    if (word_byte(c)) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool holds_any_word(std::string_view text, const std::vector<std::string>& words) {
  const auto have = words_of(text);
  return std::any_of(have.begin(), have.end(),
                     [&](const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); });
}

bool technique_matches(const std::string& held, const std::string& asked, bool sub_techniques) {
  if (held == asked) return true;
  return sub_techniques && held.size() > asked.size() + 1 && held.compare(0, asked.size(), asked) == 0 &&
         held[asked.size()] == '.';
}

std::vector<AlertCount> top_counts(const std::unordered_map<std::string, std::int64_t>& counts, std::size_t top) {
  std::vector<AlertCount> out;
  out.reserve(counts.size());
  for (const auto& [key, n] : counts) out.push_back({key, n});
  std::sort(out.begin(), out.end(),
            [](const AlertCount& a, const AlertCount& b) { return a.count != b.count ? a.count > b.count : a.key < b.key; });
  if (out.size() > top) out.resize(top);
  return out;
}

// A sort key: absent values sort last either way, as Elasticsearch's default `missing: _last`.
struct SortKey {
  bool present = false;
  std::int64_t time = 0;
  std::string_view text;
};

SortKey sort_key(const AlertDocument& a, AlertSortField f) {
  auto time = [](const std::optional<std::string>& text) {
    SortKey k;
    if (text)
      if (const auto t = alert_time_ms(*text)) k = {true, *t, {}};
    return k;
  };
  auto word = [](const std::string& s) { return SortKey{true, 0, s}; };
  switch (f) {
    case AlertSortField::CreatedAt: return time(a.created_at);
    case AlertSortField::UpdatedAt: return time(a.updated_at);
    case AlertSortField::Severity: return word(a.severity);
    case AlertSortField::Status: return word(a.status);
    case AlertSortField::Title: return word(a.alert_title);
    case AlertSortField::ServiceSource: return word(a.service_source);
    case AlertSortField::Category: return word(a.category);
  }
  return {};
}

constexpr std::int64_t kMaxAlertDays = 36'600;

std::int64_t next_day(const std::unordered_map<std::int64_t, AlertDay>& days, std::int64_t after) {
  std::int64_t next = INT64_MAX;
  for (const auto& [day, d] : days)
    if (day > after) next = std::min(next, day);
  return next;
}

}  // namespace

bool matches(const AlertQuery& q, const AlertDocument& a) {
  if (q.severity && a.severity != *q.severity) return false;
  if (q.status && a.status != *q.status) return false;
  if (q.search) {
    const auto words = words_of(*q.search);
    if (!holds_any_word(a.alert_title, words) && !holds_any_word(a.description, words) && a.category != *q.search)
      return false;
  }
  if (!q.techniques.empty()) {
    const bool any = std::any_of(a.mitre_techniques.begin(), a.mitre_techniques.end(), [&](const std::string& held) {
      return std::any_of(q.techniques.begin(), q.techniques.end(),
                         [&](const std::string& asked) { return technique_matches(held, asked, q.sub_techniques); });
    });
    if (!any) return false;
  }
  if (q.created_from_ms) {
    const auto created = alert_time_ms(a.created_at);
    if (!created || *created < *q.created_from_ms) return false;
  }
  if (q.seen && !seen_within(a, *q.seen)) return false;
  if (q.host_prefix && !saw_host(a, *q.host_prefix)) return false;
  if (q.files && !shows_files(a, *q.files)) return false;
  if (q.correlated && a.f0rtika.achilles_correlated.value_or(false) != *q.correlated) return false;
  if (q.auto_resolve_modes) {
    const std::string mode = a.f0rtika.auto_resolve_mode.value_or("");
    if (std::find(q.auto_resolve_modes->begin(), q.auto_resolve_modes->end(), mode) == q.auto_resolve_modes->end()) return false;
  }
  return true;
}

std::optional<AlertSortField> alert_sort_field_from(std::string_view text) {
  static constexpr std::array<AlertSortField, 7> kAll = {AlertSortField::CreatedAt, AlertSortField::UpdatedAt,
                                                         AlertSortField::Severity,  AlertSortField::Status,
                                                         AlertSortField::Title,     AlertSortField::ServiceSource,
                                                         AlertSortField::Category};
  for (const auto f : kAll)
    if (stored_name(f) == text) return f;
  return std::nullopt;
}

std::string_view stored_name(AlertSortField field) {
  switch (field) {
    case AlertSortField::CreatedAt: return "created_at";
    case AlertSortField::UpdatedAt: return "updated_at";
    case AlertSortField::Severity: return "severity";
    case AlertSortField::Status: return "status";
    case AlertSortField::Title: return "alert_title.keyword";
    case AlertSortField::ServiceSource: return "service_source";
    case AlertSortField::Category: return "category";
  }
  return "created_at";
}

AlertPage alert_page_of(const std::vector<AlertDocument>& alerts, const AlertQuery& query, const AlertPageQuestion& page) {
  std::vector<const AlertDocument*> hits;
  for (const auto& a : alerts)
    if (matches(query, a)) hits.push_back(&a);
  auto before = [&](const AlertDocument* x, const AlertDocument* y) {
    const SortKey kx = sort_key(*x, page.sort), ky = sort_key(*y, page.sort);
    if (kx.present != ky.present) return kx.present;
    if (kx.present) {
      const int c = kx.time != ky.time ? (kx.time < ky.time ? -1 : 1) : kx.text.compare(ky.text);
      if (c != 0) return page.descending ? c > 0 : c < 0;
    }
    return x->id < y->id;
  };
  AlertPage out;
  out.total = static_cast<std::int64_t>(hits.size());
  const std::size_t first = std::min(page.offset, hits.size());
  const std::size_t last = std::min(hits.size(), first + page.limit);
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(last), hits.end(), before);
  for (std::size_t i = first; i < last; ++i) out.alerts.push_back(*hits[i]);
  return out;
}

AlertTally alert_tally_of(const std::vector<AlertDocument>& alerts, const AlertQuery& query) {
  AlertTally t;
  std::unordered_map<std::string, std::int64_t> severity, status, technique;
  std::unordered_map<std::int64_t, AlertDay> days;
  for (const auto& a : alerts) {
    if (!matches(query, a)) continue;
    ++t.total;
    ++severity[a.severity];
    ++status[a.status];
    std::unordered_set<std::string_view> seen;  // a document counts once per bucket
    for (const auto& tech : a.mitre_techniques)
      if (seen.insert(tech).second) ++technique[tech];
    if (const auto created = query.created_from_ms ? alert_time_ms(a.created_at) : std::nullopt) {
      AlertDay& d = days[start_of_day(*created)];
      ++d.count;
      d.high += a.severity == "high";
      d.medium += a.severity == "medium";
      d.low += a.severity == "low";
    }
  }
  t.by_severity = top_counts(severity, kAlertTallyTop);
  t.by_status = top_counts(status, kAlertTallyTop);
  t.by_technique = top_counts(technique, kAlertTechniqueTop);
  if (!days.empty()) {
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const auto& [day, d] : days) first = std::min(first, day), last = std::max(last, day);
    // Empty days are filled in only over a span a chart can show; beyond it
    // (a stray creation date decades away) only the days with alerts remain.
    const bool fill = (last - first) / kMillisPerDay <= kMaxAlertDays;
    for (std::int64_t day = first; day <= last; day = fill ? day + kMillisPerDay : next_day(days, day)) {
      auto it = days.find(day);
      AlertDay d = it == days.end() ? AlertDay{} : it->second;
      d.start_ms = day;
      t.by_day.push_back(d);
      if (!fill && day == last) break;
    }
  }
  return t;
}

std::vector<AlertSighting> alert_sightings_of(const std::vector<AlertDocument>& alerts, std::int64_t created_from_ms,
                                              bool with_hosts) {
  std::vector<AlertSighting> out;
  for (const auto& a : alerts) {
    const auto created = alert_time_ms(a.created_at);
    if (!created || *created < created_from_ms) continue;
    std::unordered_set<std::string_view> seen;
    for (const auto& tech : a.mitre_techniques)
      if (!tech.empty() && seen.insert(tech).second) out.push_back({tech, *created, with_hosts ? a.evidence_hostnames : std::vector<std::string>{}});
  }
  return out;
}

}  // namespace achilles
