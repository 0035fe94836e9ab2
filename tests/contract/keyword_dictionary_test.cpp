// The embedded engine's dictionary of keyword values: ids in order of first
// sight, one per distinct value, found again after growing and after a
// snapshot's rebuild.
#include <catch2/catch.hpp>

#include <string>

#include "achilles/embedded/keyword_dictionary.hpp"

using achilles::embedded::KeywordDictionary;

TEST_CASE("a keyword dictionary gives each distinct value one id, in order of first sight, across growth",
          "[contract][dictionary]") {
  KeywordDictionary d;
  CHECK(d.intern("") == KeywordDictionary::kMissing);
  CHECK(d.size() == 1);
  // Values of every length around the hash's 8-byte steps, some sharing prefixes.
  auto value = [](int i) { return std::string(static_cast<std::size_t>(i % 23), 'x') + "-" + std::to_string(i); };
  for (int i = 0; i < 20'000; ++i) REQUIRE(d.intern(value(i)) == static_cast<std::uint32_t>(i + 1));
  for (int i = 0; i < 20'000; i += 7) CHECK(d.intern(value(i)) == static_cast<std::uint32_t>(i + 1));
  CHECK(d.size() == 20'001);
  CHECK(d.find(value(19'999)) == 20'000u);
  CHECK(d.find("never seen") == std::nullopt);
  CHECK(d.find("") == KeywordDictionary::kMissing);
  CHECK(d.value(5) == value(4));

  const KeywordDictionary rebuilt = KeywordDictionary::from(d.values());
  for (int i = 0; i < 20'000; i += 3) CHECK(rebuilt.find(value(i)) == static_cast<std::uint32_t>(i + 1));
  CHECK(rebuilt.find("never seen") == std::nullopt);
  CHECK(KeywordDictionary::from({}).size() == 1);
}
