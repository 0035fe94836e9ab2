#include "achilles/domain/exit_codes.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace achilles {

std::optional<std::string_view> canonical_error_name(std::int64_t code) {
  for (const auto& entry : kExitCodes)
    if (entry.code == code) return entry.name;
  return std::nullopt;
}

std::optional<std::int64_t> code_for_error_name(std::string_view name) {
  for (const auto& entry : kExitCodes)
    if (entry.name == name) return entry.code;
  return std::nullopt;
}

bool is_protected_code(std::int64_t code) {
  return std::find(kProtectedCodes.begin(), kProtectedCodes.end(), code) != kProtectedCodes.end();
}

std::string resolve_error_name(std::optional<std::int64_t> code, std::string_view stored_name) {
  if (code) {
    if (auto name = canonical_error_name(*code)) return std::string(*name);
  }
  if (!stored_name.empty()) return std::string(stored_name);
  return code ? fmt::format("Unknown ({})", *code) : std::string("Unknown (?)");
}

}  // namespace achilles
