#pragma once
// Microsoft Graph's security API and the Microsoft identity platform's token
// endpoint, as far as the Defender sync uses them, answering the recorded
// payloads of tests/fixtures/graph/ (their {{BASE}} replaced by this fake's
// URL). It issues tokens only for the expected secret or a client assertion,
// refuses Graph calls without a live token, records what it was sent, and can
// be told to misbehave once: any status and body, a Retry-After, an answer
// that never ends.
#include <boost/json.hpp>
#include <atomic>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fakes/blocking_http_fake.hpp"

namespace achilles::testing {

class FakeGraph {
public:
  struct Request {
    std::string method;
    std::string target;
    std::string body;
    std::string authorization;
  };

  explicit FakeGraph(std::string client_secret = "graph-client-secret~0123456789") : secret_(std::move(client_secret)) {}

  std::string url() const { return server_.url(); }
  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int tokens_issued() const { return tokens_issued_; }
  int graph_calls(const std::string& path_part) const {
    int n = 0;
    for (const auto& r : requests())
      if (r.target.find(path_part) != std::string::npos && r.method == "GET") ++n;
    return n;
  }
  // Every token issued so far stops working (Graph answers 401).
  void expire_tokens() {
    std::lock_guard lock(mutex_);
    live_tokens_.clear();
  }
  // The next request whose target contains `path_part` gets this answer.
  void answer_next(std::string path_part, unsigned status, std::string body, std::optional<std::string> retry_after = {}) {
    std::lock_guard lock(mutex_);
    scripted_.push_back({std::move(path_part), status, std::move(body), std::move(retry_after), false});
  }
  // The next such request gets headers and a few bytes, then nothing more.
  void never_end_next(std::string path_part) {
    std::lock_guard lock(mutex_);
    scripted_.push_back({std::move(path_part), 200, "", {}, true});
  }
  // Alerts answered instead of the recorded pages (one page).
  void alerts(boost::json::array items) {
    std::lock_guard lock(mutex_);
    alerts_ = std::move(items);
  }

  // Alerts resolved through PATCH, and comments posted, by alert id.
  std::vector<std::string> resolved() const {
    std::lock_guard lock(mutex_);
    return resolved_;
  }
  std::vector<std::pair<std::string, std::string>> comments() const {
    std::lock_guard lock(mutex_);
    return comments_;
  }

  static std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ACHILLES_FIXTURES_DIR) + "/graph/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

private:
  struct Script {
    std::string path_part;
    unsigned status;
    std::string body;
    std::optional<std::string> retry_after;
    bool endless;
  };

  // As URLSearchParams writes a value.
  static std::string form_encoded(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') out += static_cast<char>(c);
      else if (c == ' ') out += '+';
      else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  }

  std::string page(const std::string& name) const {
    std::string body = fixture(name);
    for (auto at = body.find("{{BASE}}"); at != std::string::npos; at = body.find("{{BASE}}", at)) body.replace(at, 8, url());
    return body;
  }

  static std::string percent_decoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  // An alert the tenant has: in the answered list or the recorded pages. Under mutex_.
  bool known_alert(const std::string& id) const {
    namespace json = boost::json;
    std::vector<json::value> lists;
    if (alerts_) lists.emplace_back(json::object{{"value", *alerts_}});
    else
      for (const char* name : {"alerts_page1.json", "alerts_page2.json"}) lists.push_back(json::parse(fixture(name)));
    for (const auto& list : lists)
      for (const auto& a : list.at("value").as_array())
        if (a.at("id").as_string() == id) return true;
    return false;
  }

  std::pair<unsigned, std::string> answer(const Request& r) {
    namespace json = boost::json;
    const std::string path = r.target.substr(0, r.target.find('?'));
    if (r.method == "POST" && path.ends_with("/oauth2/v2.0/token")) {
      const bool secret_ok = r.body.find("client_secret=" + form_encoded(secret_) + "&") != std::string::npos;
      const bool assertion = r.body.find("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer") !=
                             std::string::npos;
      if (!secret_ok && !assertion) return {401, fixture("token_error.json")};
      auto token = json::parse(fixture("token.json")).as_object();
      const std::string issued = "token-" + std::to_string(++tokens_issued_);
      token["access_token"] = issued;
      std::lock_guard lock(mutex_);
      live_tokens_.insert(issued);
      return {200, json::serialize(token)};
    }
    {
      std::lock_guard lock(mutex_);
      const std::string token = r.authorization.starts_with("Bearer ") ? r.authorization.substr(7) : "";
      if (!live_tokens_.contains(token))
        return {401, R"({"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid.","innerError":{"date":"2026-11-30T10:00:00","request-id":"5c1e0f8a-0000-4000-8000-000000000000"}}})"};
    }
    const bool next_page = r.target.find("skiptoken") != std::string::npos || r.target.find("%24skip") != std::string::npos ||
                           r.target.find("$skip") != std::string::npos;
    if (path == "/v1.0/security/secureScores") return {200, page(next_page ? "secure_scores_page2.json" : "secure_scores_page1.json")};
    if (path == "/v1.0/security/secureScoreControlProfiles")
      return {200, page(next_page ? "control_profiles_page2.json" : "control_profiles_page1.json")};
    if (path == "/v1.0/security/alerts_v2") {
      std::lock_guard lock(mutex_);
      json::value listed = alerts_ ? json::value(json::object{{"value", *alerts_}})
                                   : json::parse(page(next_page ? "alerts_page2.json" : "alerts_page1.json"));
      // What a PATCH resolved reads back resolved, as Graph would.
      for (auto& a : listed.at("value").as_array())
        if (std::find(resolved_.begin(), resolved_.end(), std::string(a.at("id").as_string())) != resolved_.end()) {
          a.as_object()["status"] = "resolved";
          a.as_object()["classification"] = "informationalExpectedActivity";
          a.as_object()["determination"] = "securityTesting";
          a.as_object()["lastUpdateDateTime"] = "2026-11-30T08:30:00.0000000Z";
        }
      return {200, json::serialize(listed)};
    }
    const std::string alerts_prefix = "/v1.0/security/alerts_v2/";
    if (path.starts_with(alerts_prefix) && (r.method == "PATCH" || r.method == "POST")) {
      std::string rest = path.substr(alerts_prefix.size());
      const bool comment = rest.ends_with("/comments");
      if (comment) rest.resize(rest.size() - 9);
      const std::string id = percent_decoded(rest);
      std::lock_guard lock(mutex_);
      if (!known_alert(id)) return {404, R"({"error":{"code":"NotFound","message":"Alert not found"}})"};
      if (comment) {
        const auto body = json::parse(r.body);
        comments_.emplace_back(id, std::string(body.at("comment").as_string()));
        return {200, R"J({"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)","value":[]})J"};
      }
      if (r.method == "PATCH") {
        resolved_.push_back(id);
        return {200, R"({"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2/$entity","id":")" + id +
                         R"(","status":"resolved","classification":"informationalExpectedActivity","determination":"securityTesting"})"};
      }
    }
    return {404, R"({"error":{"code":"ResourceNotFound","message":"Resource not found"}})"};
  }

  void handle(const BlockingHttpFake::Request& request, boost::asio::ip::tcp::socket& socket) {
    namespace http = boost::beast::http;
    Request r{std::string(request.method_string()), std::string(request.target()), request.body(),
              std::string(request[http::field::authorization])};
    std::optional<Script> script;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(r);
      for (auto it = scripted_.begin(); it != scripted_.end(); ++it)
        if (r.target.find(it->path_part) != std::string::npos) {
          script = *it;
          scripted_.erase(it);
          break;
        }
    }
    if (script && script->endless) {
      // Chunked, so no announced length gives it away: a space every 50 ms, forever.
      const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "a\r\n{\"value\":[\r\n";
      boost::system::error_code ec;
      boost::asio::write(socket, boost::asio::buffer(head), ec);
      while (!server_.stopping() && !ec) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        boost::asio::write(socket, boost::asio::buffer(std::string("1\r\n \r\n")), ec);
      }
      return;
    }
    auto [status, body] = script ? std::pair<unsigned, std::string>{script->status, script->body} : answer(r);
    BlockingHttpFake::json_reply(socket, status, std::move(body), script ? script->retry_after : std::nullopt);
  }

  std::string secret_;
  std::atomic<int> tokens_issued_{0};
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::vector<Script> scripted_;
  std::set<std::string> live_tokens_;
  std::optional<boost::json::array> alerts_;
  std::vector<std::string> resolved_;
  std::vector<std::pair<std::string, std::string>> comments_;
  BlockingHttpFake server_{[this](const auto& request, auto& socket) { handle(request, socket); }};  // last: stops first
};

}  // namespace achilles::testing
