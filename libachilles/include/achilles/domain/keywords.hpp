#pragma once
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace achilles {

// A keyword field as a result document's `_source` holds it. Elasticsearch
// lets any field be absent, null, one value or an array of values, and the
// original's writer uses all four (`target: []`, `target: ["windows"]`,
// `threat_actor: null`). Queries see `values()`: a term matches a document
// when any value equals it, a terms aggregation counts the document under
// each value. The executions views give the stored form back unchanged.
class Keywords {
public:
  enum class Form : std::uint8_t { Absent, Null, One, Many };

  Keywords() = default;
  Keywords(std::string value) : form_(Form::One) { values_.push_back(std::move(value)); }  // NOLINT: a string is one value
  Keywords(const char* value) : Keywords(std::string(value)) {}                           // NOLINT
  Keywords(std::vector<std::string> values) : form_(Form::Many), values_(std::move(values)) {}  // NOLINT: an array
  Keywords(std::initializer_list<std::string> values) : Keywords(std::vector<std::string>(values)) {}  // {"a"}: an array
  static Keywords null() {
    Keywords k;
    k.form_ = Form::Null;
    return k;
  }

  // Makes this `form` holding `values`, reusing the storage it has: a
  // decoder that refills the same documents row after row allocates almost
  // nothing. Absent and Null take no values, One exactly one.
  void assign(Form form, std::span<const std::string_view> values) {
    form_ = form;
    values_.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) values_[i].assign(values[i]);
  }

  Form form() const { return form_; }
  const std::vector<std::string>& values() const { return values_; }
  // No value: absent, null or an empty array (what Elasticsearch's `exists` calls missing).
  bool empty() const { return values_.empty(); }
  // The first stored value, or "" when there is none.
  const std::string& first() const;
  bool contains(std::string_view value) const;

  bool operator==(const Keywords&) const = default;

private:
  Form form_ = Form::Absent;
  std::vector<std::string> values_;
};

}  // namespace achilles
