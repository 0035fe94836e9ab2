#include "achilles/services/risk_acceptance_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

#include "achilles/errors.hpp"
#include "achilles/text/trimmed.hpp"

namespace achilles {
namespace {

// Trimmed, and absent when nothing is left: `"control_id": ""` names no control.
std::optional<std::string> non_empty(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  auto t = trimmed(*v);
  return t.empty() ? std::nullopt : std::optional<std::string>(std::move(t));
}

// RFC 4122 version 4, straight from the system's entropy: a few ids per
// request need no generator state shared between threads.
std::string random_uuid() {
  std::random_device entropy;
  std::array<std::uint32_t, 4> w{entropy(), entropy(), entropy(), entropy()};
  w[1] = (w[1] & 0xffff0fffU) | 0x00004000U;  // version 4
  w[2] = (w[2] & 0x3fffffffU) | 0x80000000U;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:04x}{:08x}", w[0], w[1] >> 16, w[1] & 0xffff, w[2] >> 16,
                     w[2] & 0xffff, w[3]);
}

bool visible_to(const RiskAcceptance& r, const Principal& caller) {
  return caller.org_id.empty() || !r.org_id || *r.org_id == caller.org_id;
}

std::optional<std::string> org_of(const Principal& caller) {
  return caller.org_id.empty() ? std::nullopt : std::optional<std::string>(caller.org_id);
}

[[noreturn]] void refuse(std::string path, std::string message) {
  throw ValidationFailed(std::vector<ValidationIssue>{{std::move(path), std::move(message)}});
}

}  // namespace

RiskAcceptance RiskAcceptanceService::accept(const AcceptRiskRequest& req, const Principal& caller) {
  std::vector<ValidationIssue> issues;
  const std::string test_name = trimmed(req.test_name);
  if (test_name.empty()) issues.push_back({"test_name", "test_name is required"});
  if (trimmed(req.justification).size() < kMinTextLength)
    issues.push_back({"justification", "Justification must be at least 10 characters"});
  std::optional<RiskScope> scope;
  if (req.scope) {
    scope = parse_risk_scope(*req.scope);
    if (!scope) issues.push_back({"scope", "Invalid option: expected one of \"host\"|\"global\""});
  }
  const auto hostname = non_empty(req.hostname);
  if (scope == RiskScope::Host && !hostname) issues.push_back({"hostname", "hostname is required for host scope"});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));

  RiskAcceptance r;
  r.acceptance_id = random_uuid();
  r.org_id = org_of(caller);
  r.test_name = test_name;
  r.control_id = non_empty(req.control_id);
  // Stored explicitly, so the record never depends on the legacy rule.
  r.scope = scope.value_or(hostname ? RiskScope::Host : RiskScope::Global);
  if (r.scope == RiskScope::Host) r.hostname = hostname;  // a global acceptance keeps no host
  r.justification = trimmed(req.justification);
  r.accepted_by = caller.user_id;
  r.accepted_by_name = caller.user_id;  // no display names yet
  r.accepted_at_ms = clock_.now_ms();
  store_.insert(r);
  return r;
}

RiskAcceptance RiskAcceptanceService::revoke(const std::string& id, const std::string& reason,
                                             const Principal& caller) {
  const std::string why = trimmed(reason);
  if (why.size() < kMinTextLength) refuse("reason", "Reason must be at least 10 characters");
  const RiskAcceptance current = get(id, caller);
  // The store's revoke is the arbiter: of two concurrent revokes, one wins.
  if (!current.is_active() || !store_.revoke(id, clock_.now_ms(), caller.user_id, caller.user_id, why))
    throw Conflict("Risk acceptance is already revoked");
  return get(id, caller);
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
  if (!status.empty()) {
    q.status = parse_risk_status(status);
    if (!q.status) throw InvalidArgument("Invalid 'status': '" + status + "' (expected active or revoked)");
  }
  if (!test_name.empty()) q.test_name = test_name;
  q.org_id = org_of(caller);
  if (page < 1) throw InvalidArgument("Invalid 'page': must be 1 or more");
  if (page_size < 1 || page_size > kMaxPageSize)
    throw InvalidArgument(fmt::format("Invalid 'pageSize': must be between 1 and {}", kMaxPageSize));

  const auto all = store_.list(q);
  RiskAcceptancePage out;
  out.total = static_cast<std::int64_t>(all.size());
  // page * page_size cannot overflow: page_size ≤ 500, and a page past the
  // end is clamped before multiplying out of range.
  const std::int64_t first = std::min((std::min(page, out.total + 1) - 1) * page_size, out.total);
  const std::int64_t last = std::min(first + page_size, out.total);
  out.data.assign(all.begin() + first, all.begin() + last);
  return out;
}

std::map<std::string, std::vector<RiskAcceptance>> RiskAcceptanceService::lookup(
    const std::vector<std::string>& names, const Principal& caller) const {
  if (names.empty()) refuse("test_names", "Too small: expected array to have >=1 items");
  if (names.size() > kMaxLookupNames) refuse("test_names", "Too big: expected array to have <=500 items");
  std::map<std::string, std::vector<RiskAcceptance>> out;
  for (const auto& name : names) out[name];
  for (auto& r : store_.active_for_org(caller.org_id)) {
    auto bucket = out.find(r.test_name);
    if (bucket != out.end()) bucket->second.push_back(std::move(r));
  }
  return out;
}

std::vector<RiskExclusion> RiskAcceptanceService::exclusions_for(const std::string& org) const {
  std::vector<RiskExclusion> out;
  // As the original's filter builder: an empty hostname or control id is
  // no hostname or control id, so such a record excludes more, not nothing.
  auto given = [](std::optional<std::string>& v) { return v && !v->empty() ? std::move(v) : std::nullopt; };
  for (auto& r : store_.active_for_org(org)) {
    const bool on_host = r.effective_scope() == RiskScope::Host && r.hostname && !r.hostname->empty();
    out.push_back({std::move(r.test_name), given(r.control_id), on_host ? given(r.hostname) : std::nullopt});
  }
  return out;
}

}  // namespace achilles
