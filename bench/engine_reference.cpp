// The bare-scan reference of bench/engine.sh: for each dashboard question,
// the tightest single-thread loop over plain arrays holding the same demo
// executions (no HTTP, no filter compilation, no store), rows already in
// event-time order and the window found by binary search. It is what the
// hardware does for the question; the engine is judged by its ratio to it.
//   engine_reference EXECUTIONS NOW_MS [SEED=42] [DAYS=30]
// Prints one line per question: "<name> <median ms>". The defense-score
// family reads test data with a conclusive exit code (DS_RAW); the pages,
// the matrix and the host list read test data (BASE); the error rate every
// row but upload confirmations.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "achilles/demo/demo_results.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/scoring/scoring_unit.hpp"

using namespace achilles;

namespace {

constexpr std::int64_t kDay = 86'400'000;

// Dense ids for one keyword field (first value of a row; 0 = none).
struct Ids {
  std::unordered_map<std::string, std::uint32_t> of{{"", 0}};
  std::uint32_t id(const Keywords& k) {
    const auto& values = k.values();
    const std::string& v = values.empty() ? std::string() : values.front();
    return of.try_emplace(v, static_cast<std::uint32_t>(of.size())).first->second;
  }
  std::size_t size() const { return of.size(); }
};

struct Rows {
  std::vector<std::int64_t> time;
  std::vector<std::uint8_t> test_data, scored, strict, combined, bundle, cyber, attack;
  std::vector<std::int32_t> code;
  std::vector<std::uint32_t> host, test, severity, category, subcategory, org, bundle_id;
  std::vector<std::uint32_t> technique_begin, technique_ids;  // CSR
  Ids hosts, tests, severities, categories, subcategories, orgs, bundles, techniques;
};

template <typename T>
void permute(std::vector<T>& v, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(v.size());
  for (auto i : order) out.push_back(v[i]);
  v.swap(out);
}

// Streams the demo documents into arrays (10M documents would not fit in
// memory as documents), then puts the rows in event-time order.
Rows load(std::size_t n, std::int64_t now, std::uint64_t seed, int days) {
  DemoOptions o;
  o.days = days;
  o.executions = n;
  o.seed = seed;
  o.now_ms = now;
  Rows r;
  std::vector<std::vector<std::uint32_t>> techniques;
  generate_demo_results(o, [&](const ResultDocument& d) {
    r.time.push_back(d.event_time_ms.value_or(INT64_MIN));
    r.test_data.push_back(!d.test_uuid.empty() && !d.test_name.empty());
    // The defense-score family's rows: test data with a conclusive exit code (DS_RAW).
    const auto code = d.error_code.value_or(-1);
    r.scored.push_back(r.test_data.back() && (code == 101 || code == 105 || code == 126 || code == 127));
    r.strict.push_back(d.protected_result());
    r.combined.push_back(d.protected_result() || d.defender_detected);
    r.bundle.push_back(d.is_bundle_control);
    bool cyber = false;
    for (const auto& v : d.category.values()) cyber |= v == kCyberHygieneCategory;
    r.cyber.push_back(cyber);
    r.attack.push_back(is_attack_simulation(cyber, d.is_bundle_control, d.error_code));
    r.code.push_back(d.error_code ? static_cast<std::int32_t>(*d.error_code) : -1);
    r.host.push_back(r.hosts.id(d.hostname));
    r.test.push_back(r.tests.id(d.test_uuid));
    r.severity.push_back(r.severities.id(d.severity));
    r.category.push_back(r.categories.id(d.category));
    r.subcategory.push_back(r.subcategories.id(d.subcategory));
    r.org.push_back(r.orgs.id(d.org_id));
    r.bundle_id.push_back(r.bundles.id(d.bundle_id));
    techniques.emplace_back();
    for (const auto& t : d.techniques.values()) techniques.back().push_back(r.techniques.id(Keywords(t)));
  });
  std::vector<std::uint32_t> order(r.time.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return r.time[a] < r.time[b]; });
  permute(r.time, order), permute(r.test_data, order), permute(r.scored, order), permute(r.strict, order);
  permute(r.combined, order), permute(r.bundle, order), permute(r.cyber, order), permute(r.attack, order);
  permute(r.code, order), permute(r.host, order), permute(r.test, order), permute(r.severity, order);
  permute(r.category, order), permute(r.subcategory, order), permute(r.org, order), permute(r.bundle_id, order);
  r.technique_begin.push_back(0);
  for (auto i : order) {
    r.technique_ids.insert(r.technique_ids.end(), techniques[i].begin(), techniques[i].end());
    r.technique_begin.push_back(static_cast<std::uint32_t>(r.technique_ids.size()));
  }
  return r;
}

// Rows are added with their verdict as a weight: no branch on it (the
// engine's scans do not branch on it either).
struct Counts {
  std::int64_t units = 0, strict = 0, combined = 0;
  void add(const Rows& r, std::size_t i, std::uint8_t matched) {
    units += matched;
    strict += matched & r.strict[i];
    combined += matched & r.combined[i];
  }
};

double median_ms(const std::function<std::int64_t()>& question) {
  volatile std::int64_t sink = question();  // warm-up
  std::vector<double> ms;
  for (int i = 0; i < 15; ++i) {
    const auto start = std::chrono::steady_clock::now();
    sink = sink + question();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: engine_reference EXECUTIONS NOW_MS [SEED]\n");
    return 2;
  }
  const std::size_t n = std::strtoull(argv[1], nullptr, 10);
  const std::int64_t now = std::strtoll(argv[2], nullptr, 10);
  const Rows r = load(n, now, argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42, argc > 4 ? std::atoi(argv[4]) : 30);

  auto window = [&](std::int64_t days) {
    const auto first = std::lower_bound(r.time.begin(), r.time.end(), now - days * kDay) - r.time.begin();
    const auto last = std::upper_bound(r.time.begin(), r.time.end(), now) - r.time.begin();
    return std::pair<std::size_t, std::size_t>(static_cast<std::size_t>(first), static_cast<std::size_t>(last));
  };
  const auto [m0, m1] = window(30);
  const auto [d0, d1] = window(1);

  auto tally = [&](std::size_t a, std::size_t b) {
    Counts c;
    for (std::size_t i = a; i < b; ++i) c.add(r, i, r.scored[i]);
    return c.units + c.strict + c.combined;
  };
  auto tally_any_stage = [&] {
    Counts docs;
    std::unordered_map<std::uint64_t, std::uint8_t> runs;
    for (std::size_t i = m0; i < m1; ++i) {
      if (!r.scored[i]) continue;
      if (r.bundle[i] && !r.cyber[i]) {
        runs[(std::uint64_t(r.bundle_id[i]) << 32) | r.host[i]] |= std::uint8_t(1 | r.strict[i] << 1 | r.combined[i] << 2);
      } else {
        docs.add(r, i, 1);
      }
    }
    return docs.units + static_cast<std::int64_t>(runs.size());
  };
  auto by = [&](const std::vector<std::uint32_t>& key, std::size_t keys) {
    std::vector<Counts> c(keys);
    for (std::size_t i = m0; i < m1; ++i) c[key[i]].add(r, i, r.scored[i]);
    return c[1].units;
  };
  auto by_technique = [&] {
    std::vector<Counts> c(r.techniques.size());
    for (std::size_t i = m0; i < m1; ++i)
      for (std::uint32_t k = r.technique_begin[i]; k < r.technique_begin[i + 1]; ++k) c[r.technique_ids[k]].add(r, i, r.scored[i]);
    return c[1].units;
  };
  auto by_category_subcategory = [&] {
    const std::size_t subs = r.subcategories.size();
    std::vector<Counts> c(r.categories.size() * subs);
    for (std::size_t i = m0; i < m1; ++i) c[r.category[i] * subs + r.subcategory[i]].add(r, i, r.scored[i]);
    return c[1].units;
  };
  auto trend = [&] {
    const std::int64_t first_day = floor_div(now - 30 * kDay, kDay);
    std::vector<Counts> c(32);
    for (std::size_t i = m0; i < m1; ++i) c[static_cast<std::size_t>(floor_div(r.time[i], kDay) - first_day)].add(r, i, r.scored[i]);
    return c[1].units;
  };
  auto host_test_matrix = [&] {
    const std::size_t tests = r.tests.size();
    std::vector<std::int64_t> pairs(r.hosts.size() * tests);
    for (std::size_t i = m0; i < m1; ++i) pairs[r.host[i] * tests + r.test[i]] += r.test_data[i];
    return pairs[1];
  };
  auto newest_page = [&] {  // the total, then the 25 newest: the window's last rows
    std::int64_t total = 0;
    for (std::size_t i = m0; i < m1; ++i) total += r.test_data[i];
    std::int64_t picked = 0;
    for (std::size_t i = m1; i > m0 && picked < 25; --i) picked += r.test_data[i - 1];
    return total + picked;
  };
  auto grouped_page = [&] {  // distinct runs (per stretch of equal times), then the 25 newest runs
    std::int64_t runs = 0;
    std::vector<std::uint64_t> stretch;
    for (std::size_t i = m0; i < m1;) {
      stretch.clear();
      const std::int64_t t = r.time[i];
      for (; i < m1 && r.time[i] == t; ++i)
        if (r.test_data[i]) stretch.push_back((std::uint64_t(r.bundle[i] ? r.bundle_id[i] : r.test[i]) << 32) | r.host[i]);
      std::sort(stretch.begin(), stretch.end());
      runs += std::unique(stretch.begin(), stretch.end()) - stretch.begin();
    }
    return runs;
  };
  auto distinct_hosts = [&](std::size_t a, std::size_t b) {
    std::vector<std::uint8_t> seen(r.hosts.size());
    for (std::size_t i = a; i < b; ++i) seen[r.host[i]] |= r.test_data[i];
    return std::accumulate(seen.begin(), seen.end(), std::int64_t{0});
  };
  auto error_rate = [&] {
    std::int64_t errors = 0, total = 0;
    for (std::size_t i = m0; i < m1; ++i) {
      const auto c = r.code[i];
      total += r.test_data[i];
      errors += r.test_data[i] & (c != 101) & (c != 105) & (c != 126) & (c != 127) & (c >= 0);
    }
    return errors + total;
  };
  auto by_error_code = [&] {
    std::vector<std::int64_t> codes(1024);
    for (std::size_t i = m0; i < m1; ++i)
      codes[static_cast<std::size_t>(std::clamp(r.code[i], 0, 1023))] += r.test_data[i];
    return codes[126];
  };

  fmt::print("tally-30d {:.3f}\n", median_ms([&] { return tally(m0, m1); }));
  fmt::print("tally-1d {:.3f}\n", median_ms([&] { return tally(d0, d1); }));
  fmt::print("tally-any-stage {:.3f}\n", median_ms(tally_any_stage));
  fmt::print("trend {:.3f}\n", median_ms(trend));
  fmt::print("by-test {:.3f}\n", median_ms([&] { return by(r.test, r.tests.size()); }));
  fmt::print("by-technique {:.3f}\n", median_ms(by_technique));
  fmt::print("by-severity {:.3f}\n", median_ms([&] { return by(r.severity, r.severities.size()); }));
  fmt::print("by-category {:.3f}\n", median_ms([&] { return by(r.category, r.categories.size()); }));
  fmt::print("by-category-subcategory {:.3f}\n", median_ms(by_category_subcategory));
  fmt::print("by-hostname {:.3f}\n", median_ms([&] { return by(r.host, r.hosts.size()); }));
  fmt::print("by-org {:.3f}\n", median_ms([&] { return by(r.org, r.orgs.size()); }));
  fmt::print("host-test-matrix {:.3f}\n", median_ms(host_test_matrix));
  fmt::print("page {:.3f}\n", median_ms(newest_page));
  fmt::print("grouped-page {:.3f}\n", median_ms(grouped_page));
  fmt::print("distinct-hosts-30d {:.3f}\n", median_ms([&] { return distinct_hosts(m0, m1); }));
  fmt::print("error-rate {:.3f}\n", median_ms(error_rate));
  fmt::print("by-error-code {:.3f}\n", median_ms(by_error_code));
  return 0;
}
