#include "achilles/text/js_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace achilles {

std::string format_js_number(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == 0) return "0";
  char buf[64];
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e21 || magnitude < 1e-6) {
    // Shortest round-trip digits in exponent form, then JS's spelling: e+21, e-7.
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string s(buf, end);
    const auto e = s.find('e');
    std::string mantissa = s.substr(0, e);
    const int exponent = std::atoi(s.c_str() + e + 1);
    return mantissa + "e" + (exponent >= 0 ? "+" : "-") + std::to_string(std::abs(exponent));
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return std::string(buf, end);
}

}  // namespace achilles
