#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace achilles {

// Decoded query-string pairs in arrival order; keys may repeat.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The value of `key`, with repeated keys comma-joined (D1): `?h=a&h=b` reads
// as `h=a,b`. nullopt when the key is absent.
std::optional<std::string> param_value(const QueryParams& params, std::string_view key);

// The shared list rule of analytics-spec §2.1: split on commas, trim, drop empties.
std::vector<std::string> split_list(std::string_view text);

}  // namespace achilles
