#include "api/json_body.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"

namespace achilles::server {

boost::json::object json_object_body(const HttpRequest& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) throw InvalidArgument("Invalid JSON body: " + ec.message());
  if (!value.is_object()) throw ValidationFailed(std::vector<ValidationIssue>{{"", "Invalid input: expected object"}});
  return std::move(value.get_object());
}

}  // namespace achilles::server
