#include "achilles/query/run_key.hpp"

#include <vector>

#include "achilles/query/filter_params.hpp"

namespace achilles {
namespace {

constexpr std::string_view kSeparator = "::";

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto sep = key.find(kSeparator, start);
    parts.push_back(key.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + kSeparator.size();
  }
  return parts;
}

}  // namespace

std::string run_key(const RunSelector& run) {
  std::string key = run.bundle ? "bundle" : "standalone";
  for (const auto& part : {run.id, run.hostname, std::to_string(run.event_time_ms)}) {
    key += kSeparator;
    key += part;
  }
  return key;
}

std::variant<RunSelector, std::string> parse_run_key(const std::string& key) {
  const auto parts = split_key(key);
  if (parts.size() != 4)
    return "Invalid group key (expected 4 parts, got " + std::to_string(parts.size()) + "): " + key;
  const bool bundle = parts[0] == "bundle";
  if (!bundle && parts[0] != "standalone") return "Unknown group key prefix: " + key;
  const auto ms = js_parse_int(parts[3]);
  if (!ms || *ms <= 0) return "Invalid event_time millis in group key: " + key;
  return RunSelector{bundle, parts[1], parts[2], *ms};
}

}  // namespace achilles
