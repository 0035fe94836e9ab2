#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace achilles {

// The ATT&CK techniques a Secure Score control defends against, read from
// its title (defender-spec §9.2 /controls/correlation): the first entry of
// the original's table whose phrase the lowercased title contains; none when
// no phrase fits.
std::vector<std::string> techniques_defended_by(std::string_view control_title);

}  // namespace achilles
