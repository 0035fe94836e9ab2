#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace achilles {

// Auto-resolve (defender-spec §8): what to do with alerts our own tests caused.
inline constexpr const char* kAutoResolveModes[] = {"disabled", "dry_run", "enabled"};
bool is_auto_resolve_mode(const std::string& mode);

// One decision about one alert, kept for audit: resolved in Defender, would
// have been (dry run), gone upstream, failed, or skipped, with why.
struct AutoResolveReceipt {
  std::string id;  // unique per decision
  std::string at;  // ISO time of the decision
  std::string alert_doc_id;
  std::string alert_id;
  std::string alert_title;
  std::string severity;
  std::string test_uuid;  // the bundle of the execution the alert was matched to
  std::string mode;       // "enabled" or "dry_run"
  std::string outcome;    // "resolved", "would_resolve", "not_found", "failed", "skipped"
  std::string detail;     // the error or the reason ("" when none)
  bool operator==(const AutoResolveReceipt&) const = default;
};

// Outcomes that closed the question for an alert (counted in the status).
bool settles_alert(const std::string& outcome);

// One page of auto-resolution receipts, newest first, with their total.
struct ReceiptPage {
  std::vector<AutoResolveReceipt> items;  // newest first
  std::int64_t total = 0;
};

}  // namespace achilles
