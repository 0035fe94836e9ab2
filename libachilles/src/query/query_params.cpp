#include "achilles/query/query_params.hpp"

namespace achilles {

std::optional<std::string> param_value(const QueryParams& params, std::string_view key) {
  std::optional<std::string> joined;
  for (const auto& [k, v] : params) {
    if (k != key) continue;
    if (joined) {
      *joined += ',';
      *joined += v;
    } else {
      joined = v;
    }
  }
  return joined;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    const auto first = item.find_first_not_of(kSpace);
    if (first != std::string_view::npos) {
      item = item.substr(first, item.find_last_not_of(kSpace) - first + 1);
      items.emplace_back(item);
    }
    start = comma + 1;
  }
  return items;
}

}  // namespace achilles
