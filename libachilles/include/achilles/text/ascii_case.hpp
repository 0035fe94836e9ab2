#pragma once
#include <algorithm>
#include <string>
#include <string_view>

namespace achilles {

// ASCII case only: host names, file names, uuids and technique ids are ASCII
// in practice, and other bytes (UTF-8) must pass through unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c); });
  return out;
}

inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : static_cast<char>(c); });
  return out;
}

}  // namespace achilles
