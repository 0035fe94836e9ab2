#pragma once
#include <string>
#include <string_view>

namespace achilles {

// `text` without leading and trailing spaces, tabs and line ends.
std::string trimmed(std::string_view text);

}  // namespace achilles
