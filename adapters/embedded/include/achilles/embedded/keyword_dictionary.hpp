#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace achilles::embedded {

// Dictionary encoding of one keyword column: each distinct string once, rows
// hold 32-bit ids. Id 0 is reserved for "missing / empty".
class KeywordDictionary {
public:
  static constexpr std::uint32_t kMissing = 0;

  KeywordDictionary();
  std::uint32_t intern(std::string_view value);
  std::optional<std::uint32_t> find(std::string_view value) const;
  const std::string& value(std::uint32_t id) const { return values_[id]; }
  std::size_t size() const { return values_.size(); }
  // Every value by id (values()[0] is ""); from() rebuilds the same ids.
  const std::vector<std::string>& values() const { return values_; }
  static KeywordDictionary from(std::vector<std::string> values);

private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> ids_;
};

}  // namespace achilles::embedded
