#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace achilles {

// The exit-code table of analytics-spec §1.7.
enum class ExitCategory { Inconclusive, Contextual, Failed, Protected, Error };

// A test's exit code, its canonical name and what it says about protection.
struct ExitCode {
  std::int64_t code;
  std::string_view name;
  ExitCategory category;
};

inline constexpr std::array<ExitCode, 9> kExitCodes{{
    {0, "NormalExit", ExitCategory::Inconclusive},
    {1, "BinaryNotRecognized", ExitCategory::Contextual},
    {101, "Unprotected", ExitCategory::Failed},
    {105, "FileQuarantinedOnExtraction", ExitCategory::Protected},
    {126, "ExecutionPrevented", ExitCategory::Protected},
    {127, "QuarantinedOnExecution", ExitCategory::Protected},
    {200, "NoOutput", ExitCategory::Inconclusive},
    {259, "StillActive", ExitCategory::Inconclusive},
    {999, "UnexpectedTestError", ExitCategory::Error},
}};

inline constexpr std::array<std::int64_t, 4> kConclusiveCodes{101, 105, 126, 127};
inline constexpr std::array<std::int64_t, 4> kErrorRateCodes{0, 1, 259, 999};  // the error rate's "errors"
inline constexpr std::array<std::int64_t, 3> kProtectedCodes{105, 126, 127};
inline constexpr std::int64_t kUnprotectedCode = 101;
inline constexpr std::int64_t kUploadConfirmationCode = 200;

std::optional<std::string_view> canonical_error_name(std::int64_t code);
std::optional<std::int64_t> code_for_error_name(std::string_view name);
bool is_protected_code(std::int64_t code);

// resolveErrorName of §1.7: the canonical name wins, then the stored name,
// then "Unknown (<code>)" / "Unknown (?)".
std::string resolve_error_name(std::optional<std::int64_t> code, std::string_view stored_name);

}  // namespace achilles
