#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace achilles {

// Base64 of RFC 4648, either alphabet (standard or URL-safe), padding
// optional and ending the text; nullopt on any other character.
std::optional<std::string> base64_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);     // standard alphabet, padded
std::string base64url_encode(std::string_view bytes);  // URL-safe alphabet, unpadded (JWT segments)

}  // namespace achilles
