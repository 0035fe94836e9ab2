#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "achilles/domain/defender_documents.hpp"

namespace achilles {

// Evidence that an alert was caused by one of our test executions
// (defender-spec §6): the alert saw the test's host, around the test's time,
// and a file of the test's bundle. Used by enrichment, the per-test alert
// drawer and auto-resolve, in memory and translated by the store adapters.

inline constexpr std::int64_t kEvidenceBeforeMs = 5 * 60'000;  // an alert may precede its execution's record
inline constexpr std::int64_t kEvidenceAfterMs = 30 * 60'000;
inline constexpr std::size_t kMinBundleNameToken = 6;

// "<bundle uuid>::<technique>" → the bundle uuid; a plain uuid stays as it is.
std::string bundle_uuid_of(std::string_view test_uuid);
// The bundle name's leading ASCII letters and digits, lowercased, when at
// least kMinBundleNameToken long ("BlueHammer Early-Stage…" → "bluehammer").
std::optional<std::string> bundle_name_token(std::string_view bundle_name);

// "timestamp or created_at within [from, to]": the first catches reactivated
// alerts with an old creation time, the second alerts updated long after.
struct SeenWindow {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  bool operator==(const SeenWindow&) const = default;
};

// The file evidence of one bundle, or of one of its stages.
struct FileEvidence {
  std::string uuid;  // lowercased bundle uuid
  // Bundle-wide: a file name starting with the uuid, a path containing it or
  // the bundle-name token. Stage: exactly <uuid>-<control>.exe or <uuid>-<control>-*.exe.
  std::optional<std::string> name_token;
  std::optional<std::string> stage_control;  // lowercased control id: the stage form
  bool operator==(const FileEvidence&) const = default;
};

// Everything an evidence question asks of an alert.
struct EvidenceQuestion {
  SeenWindow window;
  std::string host_prefix;  // uppercased
  FileEvidence files;
  bool operator==(const EvidenceQuestion&) const = default;
};

// The two questions of §6.4 and §6.5 for one execution; nullopt when a field
// they need is empty or the time does not parse.
struct ExecutionEvidenceFields {
  std::string test_uuid;
  std::string event_time;
  std::string hostname;
  std::string bundle_name;
  std::string control_id;
};
std::optional<EvidenceQuestion> bundle_evidence_question(const ExecutionEvidenceFields& execution);
std::optional<EvidenceQuestion> stage_evidence_question(const ExecutionEvidenceFields& execution);

// The pieces, for stores that evaluate alerts in memory.
std::optional<std::int64_t> alert_time_ms(std::string_view text);  // ISO, any fraction, Z or offset
bool seen_within(const AlertDocument& alert, const SeenWindow& window);
bool saw_host(const AlertDocument& alert, std::string_view uppercase_prefix);
bool shows_files(const AlertDocument& alert, const FileEvidence& files);
bool answers(const AlertDocument& alert, const EvidenceQuestion& question);

}  // namespace achilles
