#pragma once
#include <string>
#include <string_view>

namespace achilles {

// Display names of organisation ids (analytics-spec §1.9): three known
// tenants; any other id shows as its first 8 characters.
struct OrganisationName {
  std::string short_name;
  std::string full_name;
};
OrganisationName organisation_name(std::string_view org_id);

}  // namespace achilles
