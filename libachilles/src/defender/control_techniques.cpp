#include "achilles/defender/control_techniques.hpp"

#include <algorithm>
#include <array>

#include "achilles/text/ascii_case.hpp"

namespace achilles {
namespace {

struct ControlPhrase {
  std::string_view phrase;
  std::vector<std::string> techniques;
};

const std::array<ControlPhrase, 17>& phrases() {
  static const std::array<ControlPhrase, 17> kPhrases = {{
      {"multifactor authentication", {"T1078", "T1110"}},
      {"self-service password", {"T1078"}},
      {"legacy authentication", {"T1078.002", "T1110"}},
      {"password protection", {"T1110"}},
      {"conditional access", {"T1078"}},
      {"executable content from email", {"T1566", "T1204"}},
      {"office applications from creating child", {"T1059", "T1204.002"}},
      {"office applications from creating executable", {"T1204.002"}},
      {"office applications from injecting", {"T1055"}},
      {"win32 api calls from office", {"T1059.005", "T1204.002"}},
      {"javascript or vbscript", {"T1059.007", "T1059.005"}},
      {"obfuscated scripts", {"T1027", "T1059"}},
      {"protection against ransomware", {"T1486"}},
      {"executable files from running", {"T1204"}},
      {"controlled folder access", {"T1486"}},
      {"credential dumping", {"T1003"}},
      {"lsass", {"T1003.001"}},
  }};
  return kPhrases;
}

}  // namespace

std::vector<std::string> techniques_defended_by(std::string_view control_title) {
  const std::string title = ascii_lower(control_title);
  for (const auto& p : phrases())
    if (title.find(p.phrase) != std::string::npos) return p.techniques;
  return {};
}

}  // namespace achilles
