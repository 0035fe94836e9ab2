#include "achilles/log/log.hpp"

#include <chrono>
#include <iostream>
#include <mutex>

#include "achilles/query/date_math.hpp"
#include "achilles/text/js_number.hpp"
#include "achilles/text/json_text.hpp"

namespace achilles {
namespace {

std::mutex g_mutex;
std::string* g_capture = nullptr;

std::string value_json(const LogValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return json_quoted(*s);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return format_js_number(*d);
  return std::get<bool>(v) ? "true" : "false";
}

std::string now_text() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return format_iso_millis(ms.count());
}

void write(std::string line) {
  line += '\n';
  std::lock_guard lock(g_mutex);
  if (g_capture) *g_capture += line;
  else std::clog << line << std::flush;
}

void append_fields(std::string& line, const LogFields& fields) {
  for (const auto& [key, value] : fields) line += "," + json_quoted(key) + ":" + value_json(value);
}

}  // namespace

void log_event(LogLevel level, std::string_view component, std::string_view message, const LogFields& fields) {
  static constexpr const char* kLevels[] = {"info", "warn", "error"};
  std::string line = "{\"ts\":" + json_quoted(now_text()) + ",\"level\":\"" + kLevels[static_cast<int>(level)] +
                     "\",\"component\":" + json_quoted(component) + ",\"message\":" + json_quoted(message);
  append_fields(line, fields);
  write(line + "}");
}

void log_record(std::string_view component, const LogFields& fields) {
  std::string line = "{\"ts\":" + json_quoted(now_text()) + ",\"component\":" + json_quoted(component);
  append_fields(line, fields);
  write(line + "}");
}

void log_to(std::string* capture) {
  std::lock_guard lock(g_mutex);
  g_capture = capture;
}

}  // namespace achilles
