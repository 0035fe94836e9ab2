#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "achilles/demo/demo_results.hpp"
#include "achilles/domain/exit_codes.hpp"

using namespace achilles;

namespace {
constexpr std::int64_t kNow = 1737376496789;
std::vector<ResultDocument> demo(std::size_t n, std::uint64_t seed = 3, int days = 30) {
  std::vector<ResultDocument> docs;
  generate_demo_results({n, seed, days, kNow}, [&](const ResultDocument& d) { docs.push_back(d); });
  return docs;
}
}  // namespace

TEST_CASE("demo data emits exactly the requested number of documents, reproducibly", "[demo]") {
  auto a = demo(5000);
  CHECK(a.size() == 5000);
  CHECK(a == demo(5000));
  CHECK(a != demo(5000, 4));
  std::set<std::string> ids;
  for (const auto& d : a) ids.insert(d.id);
  CHECK(ids.size() == a.size());
}

TEST_CASE("demo data covers what the dashboards need to show", "[demo]") {
  auto docs = demo(20000);
  std::set<std::int64_t> codes;
  std::set<std::string> orgs, hosts, categories;
  std::size_t ch_controls = 0, multi_stage = 0, skipped = 0, detected = 0, sub_techniques = 0;
  std::map<std::string, std::set<std::string>> controls_per_run;
  for (const auto& d : docs) {
    REQUIRE(d.error_code);
    codes.insert(*d.error_code);
    CHECK(d.is_protected == is_protected_code(*d.error_code));
    CHECK(d.error_name == resolve_error_name(d.error_code, ""));
    orgs.insert(d.org_id);
    hosts.insert(d.hostname);
    categories.insert(d.category);
    REQUIRE(d.event_time_ms);
    CHECK(*d.event_time_ms < kNow);
    CHECK(*d.event_time_ms >= kNow - 30LL * 86'400'000);
    if (d.is_bundle_control) {
      CHECK(d.test_uuid == d.bundle_id + "::" + d.control_id);
      (d.category == "cyber-hygiene" ? ch_controls : multi_stage)++;
      if (d.category != "cyber-hygiene" && d.error_code == 0) ++skipped;
    }
    if (d.defender_detected) ++detected;
    for (const auto& t : d.techniques)
      if (t.find('.') != std::string::npos) ++sub_techniques;
  }
  for (auto entry : kExitCodes) CHECK(codes.count(entry.code) == 1);
  CHECK(codes.count(42) == 1);  // unmapped codes too
  CHECK(orgs.size() >= 3);
  CHECK(hosts.size() == 25);
  CHECK(categories.count("cyber-hygiene") == 1);
  CHECK(ch_controls > 0);
  CHECK(multi_stage > 0);
  CHECK(skipped > 0);
  CHECK(detected > 0);
  CHECK(sub_techniques > 0);
}

TEST_CASE("all controls of one bundle run share time, host and org", "[demo]") {
  std::map<std::string, std::tuple<std::int64_t, std::string, std::string>> runs;
  for (const auto& d : demo(3000)) {
    if (!d.is_bundle_control) continue;
    const auto task = d.id.substr(0, d.id.find("::"));
    auto [it, inserted] = runs.emplace(task, std::make_tuple(*d.event_time_ms, d.hostname, d.org_id));
    if (!inserted) CHECK(it->second == std::make_tuple(*d.event_time_ms, d.hostname, d.org_id));
  }
  CHECK_FALSE(runs.empty());
}
