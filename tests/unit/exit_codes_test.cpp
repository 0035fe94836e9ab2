#include <catch2/catch.hpp>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/text/js_number.hpp"

using namespace achilles;

TEST_CASE("a known exit code's canonical name wins over the stored one", "[codes]") {
  CHECK(resolve_error_name(126, "") == "ExecutionPrevented");
  CHECK(resolve_error_name(101, "SomeLegacy") == "Unprotected");
  CHECK(resolve_error_name(42, "CustomError") == "CustomError");
  CHECK(resolve_error_name(42, "") == "Unknown (42)");
  CHECK(resolve_error_name(std::nullopt, "") == "Unknown (?)");
}

TEST_CASE("protected codes are 105, 126 and 127 only", "[codes]") {
  for (auto entry : kExitCodes)
    CHECK(is_protected_code(entry.code) == (entry.category == ExitCategory::Protected));
  CHECK(code_for_error_name("NoOutput") == 200);
  CHECK_FALSE(code_for_error_name("noOutput").has_value());
}

TEST_CASE("numbers print as JavaScript prints them", "[json]") {
  CHECK(format_js_number(70.0) == "70");
  CHECK(format_js_number(33.33) == "33.33");
  CHECK(format_js_number(66.67) == "66.67");
  CHECK(format_js_number(0.0) == "0");
  CHECK(format_js_number(-0.0) == "0");
  CHECK(format_js_number(0.1) == "0.1");
  CHECK(format_js_number(100.0) == "100");
  CHECK(format_js_number(1e21) == "1e+21");
  CHECK(format_js_number(123456789012.5) == "123456789012.5");
  CHECK(format_js_number(1.5e-7) == "1.5e-7");
  CHECK(format_js_number(0.000001) == "0.000001");
}
