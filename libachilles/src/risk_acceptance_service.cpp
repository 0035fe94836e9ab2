#include "achilles/services/risk_acceptance_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "achilles/errors.hpp"

namespace achilles {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// RFC 4122 version 4.
std::string random_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  const std::uint64_t a = rng(), b = rng();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

bool visible_to(const RiskAcceptance& r, const Principal& caller) {
  return caller.org_id.empty() || !r.org_id || *r.org_id == caller.org_id;
}

std::optional<std::string> non_empty(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  auto t = trimmed(*v);
  return t.empty() ? std::nullopt : std::optional<std::string>(t);
}

}  // namespace

RiskAcceptance RiskAcceptanceService::accept(const AcceptRiskRequest& req, const Principal& caller) {
  std::vector<ValidationIssue> issues;
  const std::string test_name = trimmed(req.test_name);
  if (test_name.empty()) issues.push_back({"test_name", "test_name is required"});
  if (trimmed(req.justification).size() < 10)
    issues.push_back({"justification", "Justification must be at least 10 characters"});
  std::optional<RiskScope> scope;
  if (req.scope) {
    if (*req.scope == "host") scope = RiskScope::Host;
    else if (*req.scope == "global") scope = RiskScope::Global;
    else issues.push_back({"scope", "Invalid option: expected one of \"host\"|\"global\""});
  }
  auto hostname = non_empty(req.hostname);
  if (scope == RiskScope::Host && !hostname) issues.push_back({"hostname", "hostname is required for host scope"});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));

  RiskAcceptance r;
  r.acceptance_id = random_uuid();
  if (!caller.org_id.empty()) r.org_id = caller.org_id;
  r.test_name = test_name;
  r.control_id = non_empty(req.control_id);
  r.scope = scope.value_or(hostname ? RiskScope::Host : RiskScope::Global);
  if (r.scope == RiskScope::Host) r.hostname = hostname;  // a global acceptance keeps no host
  r.justification = trimmed(req.justification);
  r.accepted_by = caller.user_id;
  r.accepted_by_name = caller.user_id;
  r.accepted_at_ms = clock_.now_ms();
  store_.insert(r);
  return r;
}

RiskAcceptance RiskAcceptanceService::revoke(const std::string& id, const std::string& reason, const Principal& caller) {
  if (trimmed(reason).size() < 10)
    throw ValidationFailed(std::vector<ValidationIssue>{{"reason", "Reason must be at least 10 characters"}});
  RiskAcceptance r = get(id, caller);
  if (!r.active) throw Conflict("Risk acceptance is already revoked");
  r.active = false;
  r.revoked_at_ms = clock_.now_ms();
  r.revoked_by = caller.user_id;
  r.revoked_by_name = caller.user_id;
  r.revocation_reason = trimmed(reason);
  store_.update(r);
  return r;
}

RiskAcceptance RiskAcceptanceService::get(const std::string& id, const Principal& caller) const {
  auto r = store_.find(id);
  if (!r || !visible_to(*r, caller)) throw NotFound("Risk acceptance not found");
  return *r;
}

RiskAcceptancePage RiskAcceptanceService::list(const std::string& status, const std::string& test_name,
                                               std::int64_t page, std::int64_t page_size,
                                               const Principal& caller) const {
  RiskAcceptanceQuery q;
  if (status == "active") q.active = true;
  else if (status == "revoked") q.active = false;
  else if (!status.empty()) throw InvalidArgument("Invalid 'status': '" + status + "' (expected active or revoked)");
  if (!test_name.empty()) q.test_name = test_name;
  if (!caller.org_id.empty()) q.org_id = caller.org_id;
  if (page < 1) throw InvalidArgument("Invalid 'page': must be 1 or more");
  if (page_size < 1 || page_size > 500) throw InvalidArgument("Invalid 'pageSize': must be between 1 and 500");
  auto all = store_.list(q);
  RiskAcceptancePage out;
  out.total = static_cast<std::int64_t>(all.size());
  const auto first = static_cast<std::size_t>(std::min<std::int64_t>((page - 1) * page_size, out.total));
  const auto last = static_cast<std::size_t>(std::min<std::int64_t>(page * page_size, out.total));
  out.data.assign(all.begin() + static_cast<std::ptrdiff_t>(first), all.begin() + static_cast<std::ptrdiff_t>(last));
  return out;
}

std::map<std::string, std::vector<RiskAcceptance>> RiskAcceptanceService::lookup(const std::vector<std::string>& names,
                                                                                 const Principal& caller) const {
  if (names.empty() || names.size() > 500)
    throw ValidationFailed(std::vector<ValidationIssue>{{"test_names", "between 1 and 500 test names"}});
  RiskAcceptanceQuery q;
  q.active = true;
  if (!caller.org_id.empty()) q.org_id = caller.org_id;
  std::map<std::string, std::vector<RiskAcceptance>> out;
  const auto active = store_.list(q);
  for (const auto& name : names) {
    auto& bucket = out[name];
    for (const auto& r : active)
      if (r.test_name == name) bucket.push_back(r);
  }
  return out;
}

std::vector<RiskExclusion> RiskAcceptanceService::exclusions_for(const std::string& org) const {
  RiskAcceptanceQuery q;
  q.active = true;
  if (!org.empty()) q.org_id = org;
  std::vector<RiskExclusion> out;
  for (const auto& r : store_.list(q)) {
    RiskExclusion e{r.test_name, r.control_id, std::nullopt};
    if (r.effective_scope() == RiskScope::Host && r.hostname) e.hostname = r.hostname;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace achilles
