#include "achilles/embedded/keyword_dictionary.hpp"

namespace achilles::embedded {

KeywordDictionary::KeywordDictionary() { values_.emplace_back(); }

std::uint32_t KeywordDictionary::intern(std::string_view value) {
  if (value.empty()) return kMissing;
  if (auto it = ids_.find(value); it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(values_.size());
  values_.emplace_back(value);
  ids_.emplace(values_.back(), id);
  return id;
}

KeywordDictionary KeywordDictionary::from(std::vector<std::string> values) {
  KeywordDictionary d;
  d.values_ = std::move(values);
  if (d.values_.empty()) d.values_.emplace_back();
  d.ids_.reserve(d.values_.size());
  for (std::uint32_t id = 1; id < d.values_.size(); ++id) d.ids_.emplace(d.values_[id], id);
  return d;
}

std::optional<std::uint32_t> KeywordDictionary::find(std::string_view value) const {
  if (value.empty()) return kMissing;
  if (auto it = ids_.find(value); it != ids_.end()) return it->second;
  return std::nullopt;
}

}  // namespace achilles::embedded
