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

std::optional<std::uint32_t> KeywordDictionary::find(std::string_view value) const {
  if (value.empty()) return kMissing;
  if (auto it = ids_.find(value); it != ids_.end()) return it->second;
  return std::nullopt;
}

}  // namespace achilles::embedded
