#pragma once
#include <cstddef>
#include <string>

namespace achilles {

// Bytes as lowercase hexadecimal, two digits each (keys, tokens, digests).
std::string lowercase_hex(const unsigned char* bytes, std::size_t size);

}  // namespace achilles
