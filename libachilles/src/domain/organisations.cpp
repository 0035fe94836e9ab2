#include "achilles/domain/organisations.hpp"

#include <array>

namespace achilles {

OrganisationName organisation_name(std::string_view org_id) {
  struct Known {
    std::string_view id, short_name, full_name;
  };
  static constexpr std::array<Known, 3> kKnown{{
      {"09b59276-9efb-4d3d-bbdd-4b4663ef0c42", "SB", "Superintendency of Banks"},
      {"b2f8dccb-6d23-492e-aa87-a0a8a6103189", "TPSGL", "Transact Pay"},
      {"9634119d-fa6b-42b8-9b9b-90ad8f22e482", "RGA", "RG Associates"},
  }};
  for (const auto& k : kKnown)
    if (k.id == org_id) return {std::string(k.short_name), std::string(k.full_name)};
  return {std::string(org_id.substr(0, 8)), std::string(org_id)};
}

}  // namespace achilles
