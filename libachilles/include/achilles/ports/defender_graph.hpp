#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "achilles/domain/defender_credentials.hpp"
#include "achilles/domain/defender_graph_items.hpp"

namespace achilles {

// Microsoft Graph did not give what was asked: the message is the
// original's ("Token acquisition failed: …", "Graph API request failed:
// HTTP 503 — …") and names no secret.
class GraphFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A write Graph refused (defender-spec §2.5), with its HTTP status: 403 (the
// app lacks SecurityAlert.ReadWrite.All), 404 (the alert is gone), others.
class GraphWriteFailure : public GraphFailure {
public:
  GraphWriteFailure(int status, const std::string& message) : GraphFailure(message), status_(status) {}
  int status() const { return status_; }

private:
  int status_;
};

// Microsoft Graph's security API as the Defender sync reads it. Adapter:
// adapters/graph (OAuth2 client credentials, paging, retries).
class DefenderGraph {
public:
  virtual ~DefenderGraph() = default;

  // A token for these credentials, nothing else.
  virtual void acquire_token(const DefenderCredentials& credentials) const = 0;
  // One read with them (GET /security/alerts_v2?$top=1, the first page only):
  // a token alone does not show that the app may read alerts.
  virtual void check_read(const DefenderCredentials& credentials) const = 0;
  // GET /security/secureScores?$top=90, newest first.
  virtual std::vector<GraphSecureScore> secure_scores(const DefenderCredentials& credentials) const = 0;
  // GET /security/secureScoreControlProfiles, every page.
  virtual std::vector<GraphControlProfile> control_profiles(const DefenderCredentials& credentials) const = 0;
  // GET /security/alerts_v2, every page: updated since `updated_since` when
  // given (an incremental sync), else created since `created_since`.
  struct AlertWindow {
    std::optional<std::string> updated_since;
    std::string created_since;
  };
  virtual std::vector<GraphAlert> alerts(const DefenderCredentials& credentials, const AlertWindow& window) const = 0;

  // Auto-resolve's writes (§2.5–§2.6). PATCH /security/alerts_v2/{id} with
  // status resolved, classification informationalExpectedActivity,
  // determination securityTesting; POST …/{id}/comments with `comment`.
  // GraphWriteFailure when Graph refuses.
  virtual void resolve_alert(const DefenderCredentials& credentials, const std::string& alert_id) const = 0;
  virtual void comment_on_alert(const DefenderCredentials& credentials, const std::string& alert_id,
                                const std::string& comment) const = 0;
};

}  // namespace achilles
