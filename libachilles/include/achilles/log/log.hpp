#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace achilles {

enum class LogLevel { Info, Warn, Error };

using LogValue = std::variant<std::string, std::int64_t, double, bool>;
using LogFields = std::vector<std::pair<std::string, LogValue>>;

// The one logger: one JSON line per event on stderr, with the time, the
// level and the component first, every string escaped (invalid UTF-8
// replaced), lines never interleaved across threads.
void log_event(LogLevel level, std::string_view component, std::string_view message, const LogFields& fields = {});

// A line of fields only (the access log: one line per request, no level).
void log_record(std::string_view component, const LogFields& fields);

// Where lines go (stderr unless a test redirects them; nullptr: back to stderr).
void log_to(std::string* capture);

}  // namespace achilles
