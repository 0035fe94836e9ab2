#pragma once
#include <string>
#include <string_view>

namespace achilles {

// `text` as a JSON string literal, quotes included: control characters,
// quotes and backslashes escaped, and every byte that is not part of valid
// UTF-8 replaced by U+FFFD, so the result is always valid JSON whatever the
// text came from (a request line, an exception, a peer).
std::string json_quoted(std::string_view text);

}  // namespace achilles
