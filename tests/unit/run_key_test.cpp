#include <catch2/catch.hpp>

#include "achilles/query/run_key.hpp"

using namespace achilles;

TEST_CASE("a run key names a bundle or standalone run on one host at one millisecond, and reads back", "[runs]") {
  const RunSelector bundle{true, "b7e1f0a4", "WIN-LAB-01", 1737376496789};
  CHECK(run_key(bundle) == "bundle::b7e1f0a4::WIN-LAB-01::1737376496789");
  const RunSelector standalone{false, "7659eeba", "h", 1};
  CHECK(run_key(standalone) == "standalone::7659eeba::h::1");
  for (const auto& run : {bundle, standalone}) {
    const auto back = parse_run_key(run_key(run));
    REQUIRE(std::holds_alternative<RunSelector>(back));
    const auto& r = std::get<RunSelector>(back);
    CHECK(r.bundle == run.bundle);
    CHECK(r.id == run.id);
    CHECK(r.hostname == run.hostname);
    CHECK(r.event_time_ms == run.event_time_ms);
  }
}

TEST_CASE("a malformed run key says what is wrong with it, as the original", "[runs]") {
  auto error = [](const std::string& key) { return std::get<std::string>(parse_run_key(key)); };
  CHECK(error("bundle::a::b") == "Invalid group key (expected 4 parts, got 3): bundle::a::b");
  CHECK(error("standalone::u::with::colons::1") == "Invalid group key (expected 4 parts, got 5): standalone::u::with::colons::1");
  CHECK(error("other::a::b::1") == "Unknown group key prefix: other::a::b::1");
  CHECK(error("bundle::a::b::0") == "Invalid event_time millis in group key: bundle::a::b::0");
  CHECK(error("bundle::a::b::soon") == "Invalid event_time millis in group key: bundle::a::b::soon");
}
