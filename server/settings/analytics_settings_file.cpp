#include "settings/analytics_settings_file.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "achilles/crypto_store/private_file.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string json_string(std::string_view s) { return json::serialize(json::string_view(s)); }

}  // namespace

AnalyticsSettings settings_from_environment(bool& present) {
  AnalyticsSettings s;
  const std::string cloud = env("ELASTICSEARCH_CLOUD_ID"), node = env("ELASTICSEARCH_NODE");
  present = !cloud.empty() || !node.empty();
  if (!present) return s;
  s.connection_type = cloud.empty() ? "direct" : "cloud";
  s.cloud_id = cloud;
  s.node = node;
  s.api_key = env("ELASTICSEARCH_API_KEY");
  s.username = env("ELASTICSEARCH_USERNAME");
  s.password = env("ELASTICSEARCH_PASSWORD");
  if (auto p = env("ELASTICSEARCH_INDEX_PATTERN"); !p.empty()) s.index_pattern = p;
  if (auto p = env("ELASTICSEARCH_WRITE_INDEX_PREFIX"); !p.empty()) s.write_index_prefix = p;
  const auto rollover = env("ELASTICSEARCH_WRITE_INDEX_ROLLOVER");
  s.write_index_rollover = rollover == "daily" || rollover == "monthly" ? rollover : "none";
  s.ca_cert = env("ELASTICSEARCH_CA_CERT");
  s.tls_insecure_skip_verify = env("ELASTICSEARCH_TLS_INSECURE_SKIP_VERIFY") == "true";
  s.configured = true;
  return s;
}

AnalyticsSettingsFile::AnalyticsSettingsFile(std::filesystem::path path, const SecretCipher& cipher, const Clock& clock)
    : path_(std::move(path)), cipher_(cipher), clock_(clock) {}

SettingsRead AnalyticsSettingsFile::read() const {
  std::lock_guard lock(mutex_);
  SettingsRead out;
  std::optional<std::string> text;
  try {
    text = crypto_store::read_file(path_);
  } catch (const std::exception& e) {
    out.problem = path_.filename().string() + " cannot be read";  // no absolute path in answers
  }
  if (text) {
    try {
      json::value v = json::parse(*text);
      const json::object& o = v.as_object();
      AnalyticsSettings s;
      auto str = [&](std::string_view key, std::string& into, bool secret) {
        if (auto it = o.find(key); it != o.end() && it->value().is_string()) {
          const std::string value(it->value().get_string());
          into = secret ? cipher_.open(value) : value;
        }
      };
      str("connectionType", s.connection_type, false);
      str("cloudId", s.cloud_id, true);
      str("apiKey", s.api_key, true);
      if (auto it = o.find("node"); it != o.end() && it->value().is_string()) s.node = std::string(it->value().get_string());
      str("username", s.username, false);
      str("password", s.password, true);
      str("indexPattern", s.index_pattern, false);
      str("writeIndexPrefix", s.write_index_prefix, false);
      str("writeIndexRollover", s.write_index_rollover, false);
      str("caCert", s.ca_cert, false);
      if (auto it = o.find("configured"); it != o.end() && it->value().is_bool()) s.configured = it->value().get_bool();
      if (auto it = o.find("tlsInsecureSkipVerify"); it != o.end() && it->value().is_bool())
        s.tls_insecure_skip_verify = it->value().get_bool();
      if (s.configured) {
        out.settings = s;
        out.source = "file";
        return out;
      }
    } catch (const std::exception& e) {
      out.problem = path_.filename().string() + " cannot be read: " + e.what();
    }
  }
  bool from_env = false;
  out.settings = settings_from_environment(from_env);
  out.source = from_env ? "environment" : "defaults";
  return out;
}

std::string AnalyticsSettingsFile::to_file_json(const AnalyticsSettings& s) const {
  auto secret = [&](const std::string& v) { return v.empty() ? std::string() : cipher_.seal(v); };
  std::string out = "{\n";
  auto line = [&](std::string_view key, const std::string& value_json, bool last = false) {
    out += "  " + json_string(key) + ": " + value_json + (last ? "\n" : ",\n");
  };
  line("connectionType", json_string(s.connection_type));
  line("cloudId", json_string(secret(s.cloud_id)));
  line("apiKey", json_string(secret(s.api_key)));
  if (s.node) line("node", json_string(*s.node));
  line("username", json_string(s.username));
  line("password", json_string(secret(s.password)));
  line("indexPattern", json_string(s.index_pattern));
  line("writeIndexPrefix", json_string(s.write_index_prefix));
  line("writeIndexRollover", json_string(s.write_index_rollover));
  line("configured", s.configured ? "true" : "false");
  line("caCert", json_string(s.ca_cert));
  line("tlsInsecureSkipVerify", s.tls_insecure_skip_verify ? "true" : "false", true);
  return out + "}";
}

bool AnalyticsSettingsFile::remove() {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  const bool removed = std::filesystem::remove(path_, ec);
  if (ec) throw std::runtime_error(path_.filename().string() + " cannot be removed: " + ec.message());
  return removed;
}

std::optional<std::filesystem::path> AnalyticsSettingsFile::save(const AnalyticsSettings& settings) {
  const std::string content = to_file_json(settings);  // seals first: a cipher failure writes nothing
  std::optional<std::filesystem::path> moved;
  const auto before = read();
  std::lock_guard lock(mutex_);
  if (before.problem && std::filesystem::exists(path_)) moved = crypto_store::move_aside(path_, clock_.now_ms());
  crypto_store::write_private_file(path_, content);
  return moved;
}

}  // namespace achilles::server
