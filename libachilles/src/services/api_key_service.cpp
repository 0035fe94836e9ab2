#include "achilles/services/api_key_service.hpp"

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/text/trimmed.hpp"

namespace achilles {
namespace {

constexpr std::int64_t kTouchEveryMs = 60'000;

// zod's z.string().datetime(): a date, 'T', a time, and 'Z'.
std::optional<std::int64_t> iso_date_time(const std::string& text) {
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z') return std::nullopt;
  return resolve_date_bound(text, RangeEdge::Lower, 0);
}

bool visible_to(const ApiKey& key, const Principal& caller) {
  return caller.org_id.empty() || key.org_id == caller.org_id;
}

}  // namespace

Principal principal_of(const ApiKey& key) {
  Principal p;
  p.user_id = "apikey:" + key.id;
  p.org_id = key.org_id.value_or("");
  p.permissions = permissions_of(key.scope);
  p.credential = Credential::ApiKey;
  return p;
}

CreatedApiKey ApiKeyService::create(const CreateApiKeyRequest& request, const Principal& creator) {
  std::vector<ValidationIssue> issues;
  const std::string name = request.name ? trimmed(*request.name) : std::string();
  if (name.empty() || name.size() > kMaxNameLength)
    issues.push_back({"name", "Name must be 1 to 100 characters"});
  const auto scope = request.scope ? api_key_scope_from(*request.scope) : std::nullopt;
  if (!scope) issues.push_back({"scope", "Invalid option: expected one of \"read\"|\"read-write\""});
  std::optional<std::int64_t> expires;
  const std::int64_t now = clock_.now_ms();
  if (request.expires_at) {
    expires = iso_date_time(*request.expires_at);
    if (!expires) issues.push_back({"expires_at", "Invalid ISO datetime"});
    else if (*expires <= now) issues.push_back({"expires_at", "Must be in the future"});
  }
  if (!issues.empty()) throw ValidationFailed(std::move(issues));

  CreatedApiKey created;
  created.plaintext = mint_.new_key();
  ApiKey& key = created.key;
  key.id = mint_.new_id();
  key.name = name;
  key.token_hash = mint_.hash_of(created.plaintext);
  key.key_prefix = created.plaintext.substr(0, 12);
  key.scope = *scope;
  key.created_by = creator.user_id;
  if (!creator.org_id.empty()) key.org_id = creator.org_id;
  key.created_at_ms = now;
  key.expires_at_ms = expires;
  store_.insert(key);
  return created;
}

std::vector<ApiKey> ApiKeyService::list(const Principal& caller) const {
  std::vector<ApiKey> out;
  for (auto& key : store_.list())
    if (visible_to(key, caller)) out.push_back(std::move(key));
  return out;
}

void ApiKeyService::revoke(const std::string& id, const Principal& caller) {
  const auto key = store_.find(id);
  if (!key || !visible_to(*key, caller) || !store_.revoke(id, clock_.now_ms()))
    throw NotFound("API key not found or already revoked");
}

std::optional<ApiKey> ApiKeyVerifier::usable(std::string_view bearer_token) const {
  if (!looks_like_api_key(bearer_token)) return std::nullopt;
  auto key = store_.find_by_hash(mint_.hash_of(bearer_token));
  if (!key || !key->usable_at(clock_.now_ms())) return std::nullopt;
  return key;
}

std::optional<Principal> ApiKeyVerifier::verify(std::string_view bearer_token) const {
  auto key = usable(bearer_token);
  if (!key) return std::nullopt;
  const std::int64_t now = clock_.now_ms();
  bool due = false;
  {
    std::lock_guard lock(touched_mutex_);
    auto& last = touched_at_[key->id];
    if (last == 0 || now - last >= kTouchEveryMs) {
      last = now;
      due = true;
    }
  }
  if (due) store_.touch(key->id, now);
  return principal_of(*key);
}

IdentityVerifier::Verdict ApiKeyVerifier::verify_without_waiting(std::string_view bearer_token) const {
  if (!looks_like_api_key(bearer_token)) return Verdict::Refused;
  if (!store_.answers_locally()) return Verdict::Undecided;  // a worker asks the cluster
  return usable(bearer_token) ? Verdict::Proven : Verdict::Refused;
}

}  // namespace achilles
