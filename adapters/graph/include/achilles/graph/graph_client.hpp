#pragma once
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "achilles/http/outbound_client.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/defender_graph.hpp"

namespace achilles::graph {

struct GraphEndpoints {
  std::string graph = "https://graph.microsoft.com";        // ACHILLES_GRAPH_URL
  std::string login = "https://login.microsoftonline.com";  // ACHILLES_LOGIN_URL
};

struct GraphRetries {
  int too_many_requests = 3;                      // 429s retried per request, as the original
  std::chrono::seconds default_wait{5};           // without a usable Retry-After
  std::chrono::seconds longest_wait{60};          // a longer Retry-After is cut to this
  // How a wait is spent; tests pass one that records instead of sleeping.
  std::function<void(std::chrono::seconds)> wait = [](std::chrono::seconds s) { std::this_thread::sleep_for(s); };
};

// Microsoft Graph (defender-spec §2) over the outbound client:
// - tokens by OAuth2 client credentials, with a client secret or a signed
//   certificate assertion (x5t from the thumbprint, strict hex: REC-3),
//   cached per credential set until 5 minutes before expiry (REC-2);
// - paged GETs that follow `@odata.nextLink`, only on the Graph host the
//   token was meant for; a 429 waits its Retry-After (at most 3 times), a
//   401 refreshes the token once;
// - failures as GraphFailure with the original's messages, carrying Graph's
//   error code and message (never an HTML page, never more than 200
//   characters of it).
class GraphClient final : public DefenderGraph {
public:
  GraphClient(const http::OutboundClient& client, GraphEndpoints endpoints, const Clock& clock, GraphRetries retries = {});

  void acquire_token(const DefenderCredentials& credentials) const override;
  void check_read(const DefenderCredentials& credentials) const override;
  std::vector<GraphSecureScore> secure_scores(const DefenderCredentials& credentials) const override;
  std::vector<GraphControlProfile> control_profiles(const DefenderCredentials& credentials) const override;
  std::vector<GraphAlert> alerts(const DefenderCredentials& credentials, const AlertWindow& window) const override;
  void resolve_alert(const DefenderCredentials& credentials, const std::string& alert_id) const override;
  void comment_on_alert(const DefenderCredentials& credentials, const std::string& alert_id,
                        const std::string& comment) const override;

private:
  // PATCH or POST of a JSON body with the same 429/401 rules as reads;
  // `label` names it in failures ("PATCH", "POST comment").
  void write(const DefenderCredentials& credentials, const std::string& method, const std::string& path,
             const std::string& body, const std::string& label, const std::string& alert_id) const;
  std::string token(const DefenderCredentials& credentials) const;
  std::string fetch_token(const DefenderCredentials& credentials) const;
  void forget_token(const DefenderCredentials& credentials) const;
  // Every `value` item of every page.
  std::vector<boost::json::value> paged_get(const DefenderCredentials& credentials, const std::string& path,
                                            const std::vector<std::pair<std::string, std::string>>& query,
                                            bool first_page_only = false) const;

  const http::OutboundClient& client_;
  GraphEndpoints endpoints_;
  const Clock& clock_;
  GraphRetries retries_;
  struct CachedToken {
    std::string access_token;
    std::int64_t expires_at_s = 0;
  };
  mutable std::mutex tokens_mutex_;
  mutable std::map<std::string, CachedToken> tokens_;
};

// "%24top=90&%24orderby=createdDateTime+desc": application/x-www-form-urlencoded.
std::string form_encoded(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace achilles::graph
