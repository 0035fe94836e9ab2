// The embedded index's columnar snapshot (results.db.columns): a start reads
// it instead of decoding every row, but only when it is whole and of the
// file's current state; whatever happened to the file meanwhile (imports,
// replacements, archiving, Defender flags, damage) shows in the answers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "achilles/demo/demo_results.hpp"
#include "achilles/embedded/embedded_results_index.hpp"
#include "achilles/embedded/sqlite_results_file.hpp"

using namespace achilles;
using achilles::embedded::EmbeddedResultsIndex;
using achilles::embedded::SqliteResultsFile;

namespace {

constexpr std::int64_t kNow = 1'764'460'800'000;  // 2025-11-30T00:00:00Z
constexpr std::size_t kSnapshotRows = 100;        // small, so the test data is worth a snapshot

struct DataDir {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("achilles-snapshot-" + std::to_string(::getpid()) + "-" +
                                                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  DataDir() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~DataDir() { std::filesystem::remove_all(dir); }
  std::filesystem::path db() const { return dir / "results.db"; }
  std::filesystem::path snapshot() const { return dir / "results.db.columns"; }
};

std::vector<ResultDocument> generated(std::size_t n, std::uint64_t seed) {
  std::vector<ResultDocument> docs;
  DemoOptions o;
  o.executions = n;
  o.seed = seed;
  o.now_ms = kNow;
  generate_demo_results(o, [&](const ResultDocument& d) { docs.push_back(d); });
  return docs;
}

void import(const std::filesystem::path& db, const std::vector<ResultDocument>& docs) {
  SqliteResultsFile file(db);
  file.append(docs);
}

ResultFilter everything() {
  ResultFilter f;
  f.requires_event_time = false;
  f.test_data_only = false;
  return f;
}

// What a start that decodes every row answers, for comparison.
struct Answers {
  UnitTally all_stages, any_stage;
  DocumentPage newest;
  std::vector<Bucket> hosts;
  bool operator==(const Answers& o) const {
    if (!(all_stages == o.all_stages && any_stage == o.any_stage && newest.total == o.newest.total &&
          newest.documents == o.newest.documents && hosts.size() == o.hosts.size()))
      return false;
    for (std::size_t i = 0; i < hosts.size(); ++i)
      if (hosts[i].key != o.hosts[i].key || !(hosts[i].tally == o.hosts[i].tally)) return false;
    return true;
  }
};

Answers answers_of(const ResultsIndex& index) {
  return {index.tally(everything(), ScoringMode::AllStages), index.tally(everything(), ScoringMode::AnyStage),
          index.page(everything(), PageQuestion{SortField::EventTime, true, 0, 50}),
          index.breakdown(everything(), BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 50))};
}

// The same file read with no snapshot at all.
Answers decoded_answers(const DataDir& d) {
  DataDir copy;
  std::filesystem::copy_file(d.db(), copy.db());
  EmbeddedResultsIndex fresh(copy.db(), std::chrono::seconds(2), SIZE_MAX);
  return answers_of(fresh);
}

}  // namespace

TEST_CASE("a start with enough rows writes a snapshot, and the next start reads it instead of decoding the rows",
          "[contract][snapshot]") {
  DataDir d;
  import(d.db(), generated(3000, 5));
  Answers first;
  {
    EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
    CHECK(index.rows_decoded_at_start() == 3000);
    first = answers_of(index);
  }
  REQUIRE(std::filesystem::exists(d.snapshot()));
  EmbeddedResultsIndex again(d.db(), std::chrono::seconds(2), kSnapshotRows);
  CHECK(again.rows_decoded_at_start() == 0);
  CHECK(answers_of(again) == first);
  CHECK(first == decoded_answers(d));
  CHECK(first.newest.total == 3000);
}

TEST_CASE("rows imported and replaced after the snapshot are read from the file on the next start", "[contract][snapshot]") {
  DataDir d;
  const auto docs = generated(2000, 6);
  import(d.db(), docs);
  { EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows); }
  REQUIRE(std::filesystem::exists(d.snapshot()));

  // An import while the server is down: new documents, and a new version of an old one.
  auto more = generated(300, 7);
  ResultDocument changed = docs[42];
  changed.hostname = Keywords("HOST-AFTER-SNAPSHOT");
  more.push_back(changed);
  import(d.db(), more);

  EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
  CHECK(index.rows_decoded_at_start() == 301);
  CHECK(answers_of(index) == decoded_answers(d));
  CHECK(index.tally(everything(), ScoringMode::AllStages).documents.units == 2300);  // the replaced row left
}

TEST_CASE("archiving and Defender flags written by the server are in the snapshot it leaves", "[contract][snapshot]") {
  DataDir d;
  import(d.db(), generated(2000, 8));
  {
    EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
    const auto undetected = index.undetected_executions(kNow - 40 * 86'400'000LL, kNow, 10, std::nullopt);
    REQUIRE(undetected.size() == 10);
    std::vector<DetectionMark> marks;
    for (const auto& e : undetected) marks.push_back({e.id, "", true, true});
    CHECK(index.mark_detected(marks) == std::vector<bool>(10, true));
    ResultFilter oldest = everything();
    oldest.to_ms = kNow - 25 * 86'400'000LL;
    oldest.requires_event_time = true;
    CHECK(index.archive(oldest) > 0);
  }
  EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
  CHECK(index.rows_decoded_at_start() == 0);
  CHECK(answers_of(index) == decoded_answers(d));
}

TEST_CASE("a snapshot older than a change made to the file elsewhere, damaged, or of another file is not used",
          "[contract][snapshot]") {
  DataDir d;
  import(d.db(), generated(2000, 9));
  { EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows); }
  REQUIRE(std::filesystem::exists(d.snapshot()));

  SECTION("flags set by another process") {
    {
      SqliteResultsFile other(d.db());
      const SqliteResultsFile::Flags flags[] = {{5, true, false}, {6, true, true}};
      other.set_detection_flags(flags);
    }
    EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
    CHECK(index.rows_decoded_at_start() == 2000);
    CHECK(answers_of(index) == decoded_answers(d));
  }
  SECTION("a flipped byte") {
    {
      std::fstream f(d.snapshot(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(d.snapshot()) / 2));
      char c = 0;
      f.read(&c, 1);
      f.seekp(-1, std::ios::cur);
      c = static_cast<char>(c ^ 0x40);
      f.write(&c, 1);
    }
    EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
    CHECK(index.rows_decoded_at_start() == 2000);
    CHECK(answers_of(index) == decoded_answers(d));
  }
  SECTION("cut short") {
    std::filesystem::resize_file(d.snapshot(), std::filesystem::file_size(d.snapshot()) - 100);
    EmbeddedResultsIndex index(d.db(), std::chrono::seconds(2), kSnapshotRows);
    CHECK(index.rows_decoded_at_start() == 2000);
    CHECK(answers_of(index) == decoded_answers(d));
  }
  SECTION("another file's snapshot") {
    DataDir other;
    import(other.db(), generated(2000, 10));
    std::filesystem::copy_file(d.snapshot(), other.snapshot());
    EmbeddedResultsIndex index(other.db(), std::chrono::seconds(2), kSnapshotRows);
    CHECK(index.rows_decoded_at_start() == 2000);
    CHECK(answers_of(index) == decoded_answers(other));
  }
}
