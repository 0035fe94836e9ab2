#include "achilles/defender/alert_evidence.hpp"

#include <algorithm>

#include "achilles/query/date_math.hpp"
#include "achilles/text/ascii_case.hpp"

namespace achilles {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::optional<EvidenceQuestion> common(const ExecutionEvidenceFields& e) {
  if (e.test_uuid.empty() || e.event_time.empty() || e.hostname.empty()) return std::nullopt;
  const auto t = alert_time_ms(e.event_time);
  if (!t) return std::nullopt;
  EvidenceQuestion q;
  q.window = {*t - kEvidenceBeforeMs, *t + kEvidenceAfterMs};
  q.host_prefix = ascii_upper(e.hostname);
  q.files.uuid = ascii_lower(bundle_uuid_of(e.test_uuid));
  return q;
}

}  // namespace

std::string bundle_uuid_of(std::string_view test_uuid) {
  const auto sep = test_uuid.find("::");
  return std::string(sep == std::string_view::npos ? test_uuid : test_uuid.substr(0, sep));
}

std::optional<std::string> bundle_name_token(std::string_view bundle_name) {
  std::size_t n = 0;
  while (n < bundle_name.size() && std::isalnum(static_cast<unsigned char>(bundle_name[n])) &&
         static_cast<unsigned char>(bundle_name[n]) < 0x80)
    ++n;
  if (n < kMinBundleNameToken) return std::nullopt;
  return ascii_lower(bundle_name.substr(0, n));
}

std::optional<EvidenceQuestion> bundle_evidence_question(const ExecutionEvidenceFields& execution) {
  auto q = common(execution);
  if (q) q->files.name_token = bundle_name_token(execution.bundle_name);
  return q;
}

std::optional<EvidenceQuestion> stage_evidence_question(const ExecutionEvidenceFields& execution) {
  if (execution.control_id.empty()) return std::nullopt;
  auto q = common(execution);
  if (q) q->files.stage_control = ascii_lower(execution.control_id);
  return q;
}

std::optional<std::int64_t> alert_time_ms(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;  // no date math here
  return resolve_date_bound(text, RangeEdge::Lower, 0);
}

bool seen_within(const AlertDocument& alert, const SeenWindow& w) {
  for (const std::string* text : {&alert.timestamp, &alert.created_at}) {
    const auto t = alert_time_ms(*text);
    if (t && *t >= w.from_ms && *t <= w.to_ms) return true;
  }
  return false;
}

bool saw_host(const AlertDocument& alert, std::string_view prefix) {
  return std::any_of(alert.evidence_hostnames.begin(), alert.evidence_hostnames.end(),
                     [&](const std::string& h) { return starts_with(h, prefix); });
}

bool shows_files(const AlertDocument& alert, const FileEvidence& f) {
  if (f.uuid.empty()) return false;
  if (f.stage_control) {
    const std::string exact = f.uuid + "-" + *f.stage_control + ".exe";
    const std::string variant = f.uuid + "-" + *f.stage_control + "-";
    return std::any_of(alert.evidence_filenames.begin(), alert.evidence_filenames.end(), [&](const std::string& name) {
      return name == exact || (starts_with(name, variant) && ends_with(name, ".exe") && name.size() >= variant.size() + 4);
    });
  }
  const bool by_name = std::any_of(alert.evidence_filenames.begin(), alert.evidence_filenames.end(),
                                   [&](const std::string& name) { return starts_with(name, f.uuid); });
  return by_name || std::any_of(alert.evidence_filepaths.begin(), alert.evidence_filepaths.end(), [&](const std::string& path) {
           return path.find(f.uuid) != std::string::npos ||
                  (f.name_token && path.find(*f.name_token) != std::string::npos);
         });
}

bool answers(const AlertDocument& alert, const EvidenceQuestion& q) {
  return seen_within(alert, q.window) && saw_host(alert, q.host_prefix) && shows_files(alert, q.files);
}

}  // namespace achilles
