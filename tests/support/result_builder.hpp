#pragma once
#include <string>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/domain/result_document.hpp"
#include "achilles/query/keyword_fields.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles::testing {

// Builds result documents the way the original's writer stores them:
// is_protected and error_name follow the exit code.
class ResultBuilder {
public:
  ResultBuilder(std::string id, std::int64_t event_time_ms) {
    d_.id = std::move(id);
    d_.event_time_ms = event_time_ms;
    d_.test_uuid = "uuid-" + d_.id;
    d_.test_name = "Test " + d_.id;
    d_.hostname = "host-a";
    d_.org_id = "org-1";
    code(101);
  }
  ResultBuilder& code(std::int64_t c) {
    d_.error_code = c;
    d_.is_protected = is_protected_code(c);
    d_.error_name = resolve_error_name(c, "");
    return *this;
  }
  ResultBuilder& no_code() {
    d_.error_code.reset();
    return *this;
  }
  ResultBuilder& test(std::string name, std::string uuid) {
    d_.test_name = std::move(name);
    d_.test_uuid = std::move(uuid);
    return *this;
  }
  ResultBuilder& without_test_uuid() {
    d_.test_uuid = Keywords();
    return *this;
  }
  ResultBuilder& host(std::string h) { d_.hostname = std::move(h); return *this; }
  ResultBuilder& org(std::string o) { d_.org_id = std::move(o); return *this; }
  ResultBuilder& category(std::string c) { d_.category = std::move(c); return *this; }
  ResultBuilder& severity(std::string s) { d_.severity = std::move(s); return *this; }
  ResultBuilder& actor(std::string a) { d_.threat_actor = std::move(a); return *this; }
  ResultBuilder& techniques(std::vector<std::string> t) { d_.techniques = std::move(t); return *this; }
  ResultBuilder& tags(std::vector<std::string> t) { d_.tags = std::move(t); return *this; }
  ResultBuilder& target(Keywords t) { d_.target = std::move(t); return *this; }
  // Any keyword field in any stored form (one value, an array, null).
  ResultBuilder& keywords(KeywordField f, Keywords k) { keywords_of(d_, f) = std::move(k); return *this; }
  ResultBuilder& time_text(std::string text) { d_.event_time_text = std::move(text); return *this; }
  ResultBuilder& no_protected_field() { d_.is_protected.reset(); return *this; }
  ResultBuilder& stored_error_name(std::string n) { d_.error_name = std::move(n); return *this; }
  ResultBuilder& defender() { d_.defender_detected = true; return *this; }
  ResultBuilder& no_time() { d_.event_time_ms.reset(); return *this; }
  ResultBuilder& bundle(std::string bundle_id, std::string bundle_name, std::string control_id) {
    d_.is_bundle_control = true;
    d_.bundle_id = std::move(bundle_id);
    d_.bundle_name = std::move(bundle_name);
    d_.control_id = std::move(control_id);
    d_.test_uuid = d_.bundle_id.first() + "::" + d_.control_id.first();
    return *this;
  }
  operator ResultDocument() const { return d_; }
  ResultDocument build() const { return d_; }

private:
  ResultDocument d_;
};

// Every stored document, timed or not: the filter of questions that test the
// index itself rather than the analytics rules.
inline ResultFilter everything() {
  ResultFilter f;
  f.requires_event_time = false;
  return f;
}

}  // namespace achilles::testing
