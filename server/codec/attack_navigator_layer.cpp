#include "codec/attack_navigator_layer.hpp"

#include <boost/json.hpp>
#include <regex>
#include <set>

#include <fmt/format.h>

namespace achilles::server {
namespace json = boost::json;
namespace {

// T1234 or T1234.567, as ATT&CK names techniques and sub-techniques.
bool is_technique_id(const std::string& key) {
  static const std::regex kTechnique("^T[0-9]{4}(\\.[0-9]{3})?$");
  return std::regex_match(key, kTechnique);
}

json::object metadata(std::string_view name, std::string_view value) { return {{"name", name}, {"value", value}}; }

}  // namespace

json::object attack_navigator_layer(const std::vector<ScoreRow>& techniques, const std::string& filters,
                                    const std::string& generated) {
  json::array entries;
  std::set<std::string> scored, parents_to_expand;
  std::vector<std::string> skipped;
  for (const auto& row : techniques) {
    if (!is_technique_id(row.key)) {
      skipped.push_back(row.key);
      continue;
    }
    scored.insert(row.key);
    if (row.key.size() > 5) parents_to_expand.insert(row.key.substr(0, 5));
    const std::string counts = std::to_string(row.count) + " executions, " + std::to_string(row.protected_count) +
                               " protected, " + std::to_string(row.unprotected()) + " not protected";
    entries.push_back(json::object{
        {"techniqueID", row.key},
        {"score", row.score},
        {"comment", fmt::format("Defense score {:g}%: {}", row.score, counts)},
        {"enabled", true},
        {"metadata", json::array{metadata("executions", std::to_string(row.count)),
                                 metadata("protected", std::to_string(row.protected_count)),
                                 metadata("not protected", std::to_string(row.unprotected()))}},
        {"showSubtechniques", parents_to_expand.count(row.key) > 0}});
  }
  // A tested sub-technique's parent is shown expanded, scored or not.
  for (auto& entry : entries) {
    auto& object = entry.as_object();
    if (parents_to_expand.count(std::string(object.at("techniqueID").as_string()))) object["showSubtechniques"] = true;
  }
  for (const auto& parent : parents_to_expand)
    if (!scored.count(parent))
      entries.push_back(json::object{{"techniqueID", parent}, {"enabled", true}, {"showSubtechniques", true}});

  json::array layer_metadata{metadata("source", "Achilles C++"), metadata("generated", generated),
                             metadata("filters", filters.empty() ? "(none: the last 7 days)" : filters)};
  if (!skipped.empty()) {
    std::string names;
    for (const auto& s : skipped) names += (names.empty() ? "" : ", ") + s;
    layer_metadata.push_back(metadata("not ATT&CK technique ids, left out", names));
  }
  return json::object{
      {"name", "Achilles defense score"},
      {"versions", json::object{{"attack", "16"}, {"navigator", "5.1.0"}, {"layer", "4.5"}}},
      {"domain", "enterprise-attack"},
      {"description", "Defense score per tested technique: the share of its executions that were protected. Generated " +
                          generated + (filters.empty() ? "" : " for " + filters) + "."},
      {"sorting", 3},  // by score, highest first
      {"layout", json::object{{"layout", "side"},
                              {"aggregateFunction", "average"},
                              {"showID", true},
                              {"showName", true},
                              {"showAggregateScores", false},
                              {"countUnscored", false}}},
      {"hideDisabled", false},
      {"techniques", std::move(entries)},
      {"gradient", json::object{{"colors", json::array{"#ff6666", "#ffe766", "#8ec843"}}, {"minValue", 0}, {"maxValue", 100}}},
      {"legendItems", json::array{json::object{{"label", "not protected (0%)"}, {"color", "#ff6666"}},
                                  json::object{{"label", "fully protected (100%)"}, {"color", "#8ec843"}}}},
      {"metadata", std::move(layer_metadata)},
      {"showTacticRowBackground", false},
      {"tacticRowBackground", "#dddddd"},
      {"selectTechniquesAcrossTactics", true},
      {"selectSubtechniquesWithParent", false}};
}

}  // namespace achilles::server
