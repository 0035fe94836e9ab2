#include <catch2/catch.hpp>

#include "achilles/log/log.hpp"
#include "achilles/text/json_text.hpp"

using namespace achilles;

TEST_CASE("JSON text is always valid: escapes, and invalid UTF-8 replaced", "[log]") {
  CHECK(json_quoted("plain") == "\"plain\"");
  CHECK(json_quoted("say \"hi\"\\ \n\t\r") == R"("say \"hi\"\\ \n\t\r")");
  CHECK(json_quoted(std::string("a\x01" "b\x7f", 4)) == R"("a\u0001b\u007f")");
  CHECK(json_quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");  // valid UTF-8 kept
  CHECK(json_quoted("bad \xff end") == R"("bad \ufffd end")");
  CHECK(json_quoted("\xc3") == R"("\ufffd")");                       // truncated sequence
  CHECK(json_quoted("\xc0\xaf") == R"("\ufffd\ufffd")");             // overlong '/'
  CHECK(json_quoted("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");   // a surrogate
}

TEST_CASE("log lines carry time, level and component, and stay JSON whatever the message", "[log]") {
  std::string captured;
  log_to(&captured);
  log_event(LogLevel::Warn, "settings", "moved \"aside\" \xff", {{"file", std::string("analytics.json")}, {"count", std::int64_t{2}}});
  log_record("http", {{"status", std::int64_t{200}}, {"ms", 1.5}, {"target", std::string("/x?\x80")}});
  log_to(nullptr);
  const auto first = captured.substr(0, captured.find('\n'));
  CHECK(first.starts_with("{\"ts\":\""));
  CHECK(first.find(R"("level":"warn","component":"settings","message":"moved \"aside\" \ufffd","file":"analytics.json","count":2})") !=
        std::string::npos);
  const auto second = captured.substr(captured.find('\n') + 1);
  CHECK(second.find(R"("component":"http","status":200,"ms":1.5,"target":"/x?\ufffd"})") != std::string::npos);
  CHECK(second.ends_with("}\n"));
}
