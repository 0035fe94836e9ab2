#pragma once
#include <string>

namespace achilles {

// A double as JavaScript's Number#toString writes it: `70`, `33.33`, `0.1`,
// `1e+21`, `-0` as `0`; NaN/Infinity (never produced by the domain) as `null`,
// what JSON.stringify emits for them.
std::string format_js_number(double value);

}  // namespace achilles
