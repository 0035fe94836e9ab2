#include "column_snapshot.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <type_traits>

namespace achilles::embedded {
namespace {

constexpr std::array<char, 8> kMagic{'A', 'C', 'H', 'C', 'O', 'L', 'S', '\0'};
constexpr std::uint32_t kFormat = 3;  // change with Columns' layout or flag meanings (3: the error rate's flags)

// A 64-bit checksum of the payload, fed in any pieces (tears and flipped
// bits, not an adversary: the file lives in the data dir, mode 0600).
class Checksum {
public:
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i < n && filled_ != 0; ++i) byte(p[i]);
    for (; i + 8 <= n; i += 8) {  // whole words (little-endian, as byte() assembles them)
      std::memcpy(&word_, p + i, 8);
      flush();
    }
    for (; i < n; ++i) byte(p[i]);
  }
  std::uint64_t value() {
    if (filled_) flush();
    return h_ ^ (h_ >> 29);
  }

private:
  void byte(unsigned char b) {
    word_ |= static_cast<std::uint64_t>(b) << (8 * filled_);
    if (++filled_ == 8) flush();
  }
  void flush() {
    h_ = (h_ ^ word_) * 0x9E3779B97F4A7C15ULL;
    h_ ^= h_ >> 32;
    word_ = 0;
    filled_ = 0;
  }
  std::uint64_t h_ = 0x84222325CBF29CE4ULL, word_ = 0;
  int filled_ = 0;
};

class Writer {
public:
  explicit Writer(const std::filesystem::path& path) : out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw std::runtime_error("cannot write " + path.string());
    out_.write(kMagic.data(), kMagic.size());
    out_.write(reinterpret_cast<const char*>(&kFormat), sizeof kFormat);
  }
  void bytes(const void* data, std::size_t n) {
    sum_.add(data, n);
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
  }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  template <typename T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(v.size());
    bytes(v.data(), v.size() * sizeof(T));
  }
  void text(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void finish() {
    const std::uint64_t sum = sum_.value();
    out_.write(reinterpret_cast<const char*>(&sum), sizeof sum);
    out_.flush();
    if (!out_) throw std::runtime_error("snapshot write failed");
  }

private:
  std::ofstream out_;
  Checksum sum_;
};

class Reader {
public:
  explicit Reader(const std::filesystem::path& path) : in_(path, std::ios::binary) {
    std::array<char, 8> magic{};
    std::uint32_t format = 0;
    in_.read(magic.data(), magic.size());
    in_.read(reinterpret_cast<char*>(&format), sizeof format);
    ok_ = in_ && magic == kMagic && format == kFormat;
    if (ok_) {
      const auto start = in_.tellg();
      in_.seekg(0, std::ios::end);
      remaining_ = static_cast<std::uint64_t>(in_.tellg() - start);
      in_.seekg(start);
      ok_ = remaining_ >= sizeof(std::uint64_t);
      if (ok_) remaining_ -= sizeof(std::uint64_t);  // the checksum at the end
    }
  }
  bool ok() const { return ok_; }
  void bytes(void* data, std::size_t n) {
    if (!ok_ || n > remaining_) {
      ok_ = false;
      return;
    }
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(n));
    remaining_ -= n;
    ok_ = static_cast<bool>(in_);
    if (ok_) sum_.add(data, n);
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    bytes(&v, sizeof v);
    return v;
  }
  // A length no larger than what is left of the file, or a failed read.
  std::size_t length(std::size_t unit) {
    const std::uint64_t n = u64();
    if (!ok_ || n > remaining_ / unit) {
      ok_ = false;
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  template <typename T>
  std::vector<T> array() {
    std::vector<T> v(length(sizeof(T)));
    bytes(v.data(), v.size() * sizeof(T));
    return v;
  }
  std::string text() {
    std::string s(length(1), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  // True when everything was read and the checksum matches.
  bool whole() {
    if (!ok_ || remaining_ != 0) return false;
    std::uint64_t stored = 0;
    in_.read(reinterpret_cast<char*>(&stored), sizeof stored);
    return in_ && stored == sum_.value();
  }

private:
  std::ifstream in_;
  Checksum sum_;
  std::uint64_t remaining_ = 0;
  bool ok_ = false;
};

void flush_to_disk(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_column_snapshot(const Columns& c, const SnapshotStamp& stamp, std::int64_t loaded_through,
                           const std::filesystem::path& path) {
  const auto temporary = std::filesystem::path(path.string() + ".tmp");
  {
    Writer w(temporary);
    w.text(stamp.file_id);
    w.u64(static_cast<std::uint64_t>(stamp.in_place_changes));
    w.u64(static_cast<std::uint64_t>(loaded_through));
    w.u64(c.rows());
    for (std::size_t i = 0; i < kKeywordFieldCount; ++i) {
      const auto& values = c.dictionaries[i].values();
      w.u64(values.size());
      for (const auto& v : values) w.text(v);
      w.array(c.keywords[i].cells());
      w.array(c.keywords[i].list_offsets());
      w.array(c.keywords[i].list_ids());
    }
    w.array(c.event_time);
    w.array(c.error_code);
    w.array(c.flags);
    w.array(c.catalog_score);
    w.array(c.forms);
    w.array(c.storage_key);
    w.array(c.time_shape);
    w.array(c.odd_time_rows);
    w.u64(c.odd_time_texts.size());
    for (const auto& t : c.odd_time_texts) w.text(t);
    w.array(c.rows_by_key);
    w.u64(c.time_ordered_rows);
    w.finish();
  }
  flush_to_disk(temporary);
  std::filesystem::rename(temporary, path);  // whole or not at all
  flush_to_disk(path.parent_path());
}

std::optional<LoadedSnapshot> read_column_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  Reader r(path);
  if (!r.ok()) return std::nullopt;
  SnapshotStamp taken;
  taken.file_id = r.text();
  taken.in_place_changes = static_cast<std::int64_t>(r.u64());
  if (!r.ok() || !(taken == stamp)) return std::nullopt;
  LoadedSnapshot s;
  s.loaded_through = static_cast<std::int64_t>(r.u64());
  const std::uint64_t rows = r.u64();
  Columns& c = s.columns;
  for (std::size_t i = 0; i < kKeywordFieldCount && r.ok(); ++i) {
    std::vector<std::string> values(r.length(sizeof(std::uint64_t)));
    for (auto& v : values) v = r.text();
    c.dictionaries[i] = KeywordDictionary::from(std::move(values));
    KeywordColumn::Parts parts;
    parts.cells = r.array<std::uint32_t>();
    parts.list_offsets = r.array<std::uint32_t>();
    parts.list_ids = r.array<std::uint32_t>();
    if (parts.cells.size() != rows || parts.list_offsets.empty() || parts.list_offsets.back() != parts.list_ids.size())
      return std::nullopt;
    c.keywords[i] = KeywordColumn::from(std::move(parts));
  }
  c.event_time = r.array<std::int64_t>();
  c.error_code = r.array<std::int64_t>();
  c.flags = r.array<std::uint16_t>();
  c.catalog_score = r.array<double>();
  c.forms = r.array<std::uint64_t>();
  c.storage_key = r.array<std::int64_t>();
  c.time_shape = r.array<std::uint64_t>();
  c.odd_time_rows = r.array<std::uint32_t>();
  c.odd_time_texts.resize(r.length(sizeof(std::uint64_t)));
  for (auto& t : c.odd_time_texts) t = r.text();
  c.rows_by_key = r.array<std::uint32_t>();
  c.time_ordered_rows = static_cast<std::size_t>(r.u64());
  if (!r.whole()) return std::nullopt;
  for (std::size_t n : {c.event_time.size(), c.error_code.size(), c.flags.size(), c.catalog_score.size(), c.forms.size(),
                        c.storage_key.size(), c.time_shape.size(), c.rows_by_key.size()})
    if (n != rows) return std::nullopt;
  if (c.time_ordered_rows > rows || c.odd_time_rows.size() != c.odd_time_texts.size()) return std::nullopt;
  c.rebuild_block_times();
  return s;
}

}  // namespace achilles::embedded
