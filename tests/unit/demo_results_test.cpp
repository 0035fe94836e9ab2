#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "achilles/demo/demo_results.hpp"
#include "achilles/query/date_math.hpp"
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
    CHECK(d.error_name.first() == resolve_error_name(d.error_code, ""));
    orgs.insert(d.org_id.first());
    hosts.insert(d.hostname.first());
    categories.insert(d.category.first());
    REQUIRE(d.event_time_ms);
    CHECK(*d.event_time_ms < kNow);
    CHECK(*d.event_time_ms >= kNow - 30LL * 86'400'000);
    if (d.is_bundle_control) {
      CHECK(d.test_uuid.first() == d.bundle_id.first() + "::" + d.control_id.first());
      CHECK(d.id.ends_with("::" + d.control_id.first()));  // the writer's <task_id>::<control_id>
      (d.category == "cyber-hygiene" ? ch_controls : multi_stage)++;
      if (d.category != "cyber-hygiene" && d.error_code == 0) ++skipped;
    }
    if (d.defender_detected) ++detected;
    for (const auto& t : d.techniques.values())
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
  std::map<std::string, std::tuple<std::string, std::string, std::string>> runs;
  for (const auto& d : demo(3000)) {
    if (!d.is_bundle_control) continue;
    const auto task = d.id.substr(0, d.id.find("::"));
    auto [it, inserted] = runs.emplace(task, std::make_tuple(d.event_time_text, d.hostname.first(), d.org_id.first()));
    if (!inserted) CHECK(it->second == std::make_tuple(d.event_time_text, d.hostname.first(), d.org_id.first()));
  }
  CHECK_FALSE(runs.empty());
}

TEST_CASE("demo data has the original writer's shapes", "[demo]") {
  std::size_t array_targets = 0, empty_targets = 0, null_actors = 0, null_scores = 0, tenant_labels = 0;
  std::set<std::string> time_shapes;
  for (const auto& d : demo(5000)) {
    // target is always the task metadata's array (platform-spec §4.3).
    CHECK(d.target.form() == Keywords::Form::Many);
    array_targets += !d.target.empty();
    empty_targets += d.target.empty();
    null_actors += d.threat_actor.form() == Keywords::Form::Null;
    null_scores += d.score_is_null;
    if (!d.tenant_label.empty()) {
      ++tenant_labels;
      CHECK(d.subcategory.first() == "identity-tenant");
      CHECK(d.tenant_label.first() == "Azure Tenant");
    }
    // The stored text reads back as the document's instant, to the millisecond.
    CHECK(resolve_date_bound(d.event_time_text, RangeEdge::Lower, 0) == d.event_time_ms);
    const auto t = d.event_time_text.find('T');
    const auto fraction = d.event_time_text.find('.');
    const std::size_t digits = fraction == std::string::npos ? 0 : d.event_time_text.find_first_not_of("0123456789", fraction + 1) - fraction - 1;
    time_shapes.insert(std::to_string(digits) + (d.event_time_text.ends_with("Z") ? "Z" : "offset"));
    CHECK(t == 10);
  }
  CHECK(array_targets > 0);
  CHECK(empty_targets > 0);
  CHECK(null_actors > 0);
  CHECK(null_scores > 0);
  CHECK(tenant_labels > 0);
  // Whole seconds (the Go agent), micro- and nanoseconds, and local offsets.
  CHECK(time_shapes.count("0Z") == 1);
  CHECK(time_shapes.count("6Z") == 1);
  CHECK(time_shapes.count("9Z") == 1);
  CHECK(time_shapes.count("9offset") == 1);
}
