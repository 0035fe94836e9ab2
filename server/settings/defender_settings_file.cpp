#include "settings/defender_settings_file.hpp"

#include <boost/json.hpp>

#include "achilles/crypto_store/private_file.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {


std::string env_text(const DefenderSettingsFile::Environment& env, const char* name) {
  const char* v = env(name);
  return v ? std::string(v) : std::string();
}

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// 2-space JSON, as the original writes its settings files.
void pretty(const json::value& v, std::string& out, int depth) {
  const std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string close(static_cast<std::size_t>(depth) * 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, value] : v.get_object()) {
      out += (first ? "" : ",\n") + pad + json::serialize(json::value(key)) + ": ";
      pretty(value, out, depth + 1);
      first = false;
    }
    out += "\n" + close + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.get_array()) {
      out += (first ? "" : ",\n") + pad;
      pretty(item, out, depth + 1);
      first = false;
    }
    out += "\n" + close + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

std::optional<DefenderCredentials> defender_credentials_from(const DefenderSettingsFile::Environment& env) {
  DefenderCredentials c;
  c.tenant_id = env_text(env, "DEFENDER_TENANT_ID");
  c.client_id = env_text(env, "DEFENDER_CLIENT_ID");
  c.cert_thumbprint = env_text(env, "DEFENDER_CERT_THUMBPRINT");
  c.private_key_pem = env_text(env, "DEFENDER_PRIVATE_KEY_PEM");
  if (!c.cert_thumbprint.empty() && !c.private_key_pem.empty()) {
    c.method = DefenderCredentials::Method::Certificate;
  } else {
    c.cert_thumbprint.clear();
    c.private_key_pem.clear();
    c.client_secret = env_text(env, "DEFENDER_CLIENT_SECRET");
  }
  if (!c.complete()) return std::nullopt;
  return c;
}

DefenderSettingsFile::DefenderSettingsFile(std::filesystem::path path, const SecretCipher& cipher, const Clock& clock,
                                           Environment environment)
    : path_(std::move(path)), cipher_(cipher), clock_(clock), environment_(std::move(environment)) {}

namespace {

struct RawFile {
  json::object root;
  std::optional<std::string> problem;
};

RawFile read_raw(const std::filesystem::path& path) {
  RawFile raw;
  std::optional<std::string> content;
  try {
    content = crypto_store::read_file(path);
  } catch (const std::exception& e) {
    raw.problem = path.filename().string() + " cannot be read: " + e.what();
    return raw;
  }
  if (!content) return raw;
  boost::system::error_code ec;
  auto value = json::parse(*content, ec);
  if (ec || !value.is_object()) {
    raw.problem = path.filename().string() + " is not a JSON object";
    return raw;
  }
  raw.root = std::move(value.as_object());
  return raw;
}

}  // namespace

StoredDefenderSettings DefenderSettingsFile::read() const {
  std::lock_guard lock(mutex_);
  StoredDefenderSettings s;
  s.environment = defender_credentials_from(environment_);
  s.label = env_text(environment_, "DEFENDER_TENANT_LABEL");
  const RawFile raw = read_raw(path_);
  s.problem = raw.problem;
  if (const auto* entry = raw.root.if_contains("defender"); entry && entry->is_object()) {
    const auto& e = entry->get_object();
    const auto* configured = e.if_contains("configured");
    if (configured && configured->is_bool() && configured->get_bool()) {
      try {
        DefenderCredentials c;
        c.method = method_from(text(e, "auth_method")).value_or(DefenderCredentials::Method::ClientSecret);
        c.tenant_id = cipher_.open(text(e, "tenant_id"));
        c.client_id = cipher_.open(text(e, "client_id"));
        c.client_secret = cipher_.open(text(e, "client_secret"));
        c.cert_thumbprint = cipher_.open(text(e, "cert_thumbprint"));
        c.private_key_pem = cipher_.open(text(e, "private_key_pem"));
        s.saved = c;
      } catch (const CipherError& err) {
        s.problem = path_.filename().string() + ": the Defender credentials cannot be decrypted (" + err.what() + ")";
      }
    }
    if (auto label = text(e, "label"); !label.empty()) s.label = label;
    if (auto mode = text(e, "auto_resolve_mode"); !mode.empty()) s.auto_resolve_mode = mode;
    if (auto since = text(e, "auto_resolve_since"); !since.empty()) s.auto_resolve_since = since;
  }
  if (const auto* prefs = raw.root.if_contains("defender_preferences"); prefs && prefs->is_object()) {
    if (const auto* label = prefs->get_object().if_contains("label"); label && label->is_string())
      s.label = std::string(label->get_string());
    if (auto mode = text(prefs->get_object(), "auto_resolve_mode"); !mode.empty()) s.auto_resolve_mode = mode;
    if (auto since = text(prefs->get_object(), "auto_resolve_since"); !since.empty()) s.auto_resolve_since = since;
  }
  if (s.auto_resolve_mode != "disabled" && s.auto_resolve_mode != "dry_run" && s.auto_resolve_mode != "enabled")
    s.auto_resolve_mode = "disabled";  // forward-compatible, as the original
  return s;
}

void DefenderSettingsFile::save_credentials(const DefenderCredentialsUpdate& u) {
  const auto current = read();  // before the lock: read() takes it
  std::lock_guard lock(mutex_);
  RawFile raw = read_raw(path_);
  if (raw.problem && std::filesystem::exists(path_)) {
    crypto_store::move_aside(path_, clock_.now_ms());
    raw.root = {};
  }
  json::object previous;
  if (const auto* entry = raw.root.if_contains("defender"); entry && entry->is_object()) previous = entry->get_object();
  const DefenderCredentials base = current.saved.value_or(DefenderCredentials{});
  auto non_empty = [](const std::optional<std::string>& sent, const std::string& kept) {
    return sent && !sent->empty() ? *sent : kept;
  };
  auto present = [](const std::optional<std::string>& sent, const std::string& kept) { return sent ? *sent : kept; };
  const std::string tenant = non_empty(u.tenant_id, base.tenant_id);
  const std::string client = non_empty(u.client_id, base.client_id);
  const std::string secret = non_empty(u.client_secret, base.client_secret);
  const std::string method = present(u.auth_method, current.saved ? std::string(method_name(base.method)) : text(previous, "auth_method"));
  const std::string thumbprint = present(u.cert_thumbprint, base.cert_thumbprint);
  const std::string key = present(u.private_key_pem, base.private_key_pem);
  json::object entry;
  entry["tenant_id"] = cipher_.seal(tenant);
  entry["client_id"] = cipher_.seal(client);
  entry["client_secret"] = cipher_.seal(secret);  // always, even "" (as the original)
  entry["configured"] = true;
  if (!method.empty()) entry["auth_method"] = method;
  if (u.cert_thumbprint || previous.contains("cert_thumbprint")) entry["cert_thumbprint"] = thumbprint.empty() ? thumbprint : cipher_.seal(thumbprint);
  if (u.private_key_pem || previous.contains("private_key_pem")) entry["private_key_pem"] = key.empty() ? key : cipher_.seal(key);
  const std::string label = present(u.label, text(previous, "label"));
  if (u.label || previous.contains("label")) entry["label"] = label;
  for (const char* kept : {"last_alert_sync", "last_score_sync", "auto_resolve_mode", "auto_resolve_since"})
    if (const auto* v = previous.if_contains(kept)) entry[kept] = *v;
  raw.root["defender"] = std::move(entry);
  std::string out;
  pretty(raw.root, out, 0);
  crypto_store::write_private_file(path_, out + "\n");
}

void DefenderSettingsFile::edit_preferences(const std::function<void(json::object&)>& edit) {
  std::lock_guard lock(mutex_);
  RawFile raw = read_raw(path_);
  if (raw.problem && std::filesystem::exists(path_)) {
    crypto_store::move_aside(path_, clock_.now_ms());
    raw.root = {};
  }
  // With a credential entry, as the original keeps them; else apart (REC-7).
  json::object* target = nullptr;
  if (auto* entry = raw.root.if_contains("defender"); entry && entry->is_object()) {
    target = &entry->as_object();
  } else {
    auto& prefs = raw.root["defender_preferences"];
    if (!prefs.is_object()) prefs.emplace_object();
    target = &prefs.as_object();
  }
  edit(*target);
  std::string out;
  pretty(raw.root, out, 0);
  crypto_store::write_private_file(path_, out + "\n");
}

void DefenderSettingsFile::save_preferences(const std::optional<std::string>& label,
                                            const std::optional<std::string>& auto_resolve_mode) {
  edit_preferences([&](json::object& prefs) {
    if (label) prefs["label"] = *label;
    if (auto_resolve_mode) prefs["auto_resolve_mode"] = *auto_resolve_mode;
  });
}

void DefenderSettingsFile::save_auto_resolve(const std::string& mode, const std::optional<std::string>& since) {
  edit_preferences([&](json::object& prefs) {
    prefs["auto_resolve_mode"] = mode;
    if (since) prefs["auto_resolve_since"] = *since;
    else prefs.erase("auto_resolve_since");
  });
}

bool DefenderSettingsFile::remove_credentials() {
  std::lock_guard lock(mutex_);
  RawFile raw = read_raw(path_);
  if (raw.problem || !raw.root.contains("defender")) return false;
  raw.root.erase("defender");
  std::string out;
  pretty(raw.root, out, 0);
  crypto_store::write_private_file(path_, out + "\n");
  return true;
}

}  // namespace achilles::server
