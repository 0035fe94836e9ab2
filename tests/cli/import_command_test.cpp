#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "achilles/embedded/sqlite_results_file.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

std::int64_t stored(const TempDir& dir) {
  if (!std::filesystem::exists(dir / "data/results.db")) return 0;
  return embedded::SqliteResultsFile(dir / "data/results.db").count();
}

const char* kGood =
    R"({"routing":{"event_time":"2025-01-15T10:00:00Z","hostname":"h1"},"f0rtika":{"test_uuid":"u1","test_name":"A","is_protected":true},"event":{"ERROR":126}})";
const char* kGood2 =
    R"({"routing":{"event_time":"2025-01-15T11:00:00Z","hostname":"h2"},"f0rtika":{"test_uuid":"u2","test_name":"B"},"event":{"ERROR":101}})";

}  // namespace

TEST_CASE("import loads NDJSON and re-importing the same file adds nothing", "[cli][import]") {
  TempDir dir;
  auto file = dir.write("results.ndjson", std::string(kGood) + "\n" + kGood2 + "\n\n");
  auto first = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + file.string() + "'", dir);
  CHECK(first.exit_code == 0);
  CHECK(first.out.starts_with("imported 2, skipped 0, duplicates 0, "));
  auto again = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + file.string() + "'", dir);
  CHECK(again.out.starts_with("imported 0, skipped 0, duplicates 2, "));
  CHECK(stored(dir) == 2);
}

TEST_CASE("a file with invalid lines is refused whole and nothing is written", "[cli][import]") {
  TempDir dir;
  auto file = dir.write("mixed.ndjson", std::string(kGood) + "\nnot json\n" + kGood2 +
                                            "\n{\"event\":{\"ERROR\":\"abc\"}}\n");
  auto run = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + file.string() + "'", dir);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("mixed.ndjson:2: not valid JSON") != std::string::npos);
  CHECK(run.err.find("mixed.ndjson:4: event.ERROR must be an integer") != std::string::npos);
  CHECK(run.err.find("nothing imported") != std::string::npos);
  CHECK(stored(dir) == 0);

  auto skipping = run_achilles(
      "import --skip-invalid --data-dir '" + (dir / "data").string() + "' '" + file.string() + "'", dir);
  CHECK(skipping.exit_code == 0);
  CHECK(skipping.out.starts_with("imported 2, skipped 2, duplicates 0, "));
  CHECK(skipping.err.find("mixed.ndjson:2:") != std::string::npos);
  CHECK(stored(dir) == 2);
}

TEST_CASE("line numbers hold across the blocks a long input is read in, and restart with each file", "[cli][import]") {
  TempDir dir;
  // About 10 MB: several read blocks, so some lines are cut by a block's end.
  std::string text;
  constexpr int kLines = 50'000;
  for (int line = 1; line <= kLines; ++line) {
    if (line == 22'222 || line == kLines) text += "not json";
    else text += R"({"routing":{"event_time":"2025-01-15T10:00:00Z","hostname":"h1"},"f0rtika":{"test_uuid":"u)" +
                 std::to_string(line) + R"(","test_name":"A","is_protected":true},"event":{"ERROR":126}})";
    if (line != kLines) text += "\n";  // the last line ends without one
  }
  REQUIRE(text.size() > 3 * (4u << 20) / 2);
  auto long_file = dir.write("long.ndjson", text);
  auto short_file = dir.write("short.ndjson", std::string(kGood2) + "\nnot json\n");
  const std::string files = " '" + long_file.string() + "' '" + short_file.string() + "'";
  auto run = run_achilles("import --data-dir '" + (dir / "data").string() + "'" + files, dir);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("long.ndjson:22222: not valid JSON") != std::string::npos);
  CHECK(run.err.find("long.ndjson:50000: not valid JSON") != std::string::npos);
  CHECK(run.err.find("short.ndjson:2: not valid JSON") != std::string::npos);
  CHECK(stored(dir) == 0);

  auto skipping = run_achilles("import --skip-invalid --data-dir '" + (dir / "data").string() + "'" + files, dir);
  CHECK(skipping.out.starts_with("imported 49999, skipped 3, duplicates 0, "));
  CHECK(stored(dir) == 49'999);
}

TEST_CASE("bulk action lines give documents their ids, stdin is read with -", "[cli][import]") {
  TempDir dir;
  auto file = dir.write("bulk.ndjson", std::string("{\"index\":{\"_id\":\"task-1\"}}\n") + kGood +
                                           "\n{\"index\":{\"_id\":\"task-1\"}}\n" + kGood2 + "\n");
  auto run = run_achilles("import --data-dir '" + (dir / "data").string() + "' - < '" + file.string() + "'", dir);
  CHECK(run.exit_code == 0);
  // Same id twice with `index`: the later document replaces the first, as in Elasticsearch.
  CHECK(run.out.starts_with("imported 1, skipped 0, duplicates 0, replaced 1, "));
  // With `create`, the stored one is kept.
  auto create = dir.write("create.ndjson", std::string("{\"create\":{\"_id\":\"task-1\"}}\n") + kGood + "\n");
  auto kept = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + create.string() + "'", dir);
  CHECK(kept.out.starts_with("imported 0, skipped 0, duplicates 1, replaced 0, "));
}

TEST_CASE("import refuses a bad command line with usage", "[cli][import]") {
  TempDir dir;
  CHECK(run_achilles("import", dir).exit_code == 2);
  CHECK(run_achilles("import --bogus x", dir).exit_code == 2);
  auto missing = run_achilles("import --data-dir '" + (dir / "data").string() + "' /nonexistent.ndjson", dir);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read /nonexistent.ndjson") != std::string::npos);
}

TEST_CASE("the original writer's documents import, a re-sent result replacing its first version", "[cli][import][writer]") {
  TempDir dir;
  const std::string fixture = std::string(ACHILLES_FIXTURES_DIR) + "/writer_documents.ndjson";
  auto first = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + fixture + "'", dir);
  CHECK(first.exit_code == 0);
  CHECK(first.err.empty());
  CHECK(first.out.starts_with("imported 20, skipped 0, duplicates 0, replaced 1, "));
  CHECK(stored(dir) == 20);
  // Again: nothing is added; the re-sent task's two versions replace each other in file order, the last wins.
  auto again = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + fixture + "'", dir);
  CHECK(again.out.starts_with("imported 0, skipped 0, duplicates 19, replaced 2, "));
  CHECK(stored(dir) == 20);
}

TEST_CASE("demo data imports cleanly, one document per execution", "[cli][demo]") {
  TempDir dir;
  auto demo = run_achilles("demo-data --executions 3000 --seed 11", dir);
  REQUIRE(demo.exit_code == 0);
  auto file = dir.write("demo.ndjson", demo.out);
  auto run = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + file.string() + "'", dir);
  CHECK(run.exit_code == 0);
  CHECK(run.out.starts_with("imported 3000, skipped 0, duplicates 0, "));
  CHECK(stored(dir) == 3000);
  CHECK(run_achilles("demo-data", dir).exit_code == 2);
  CHECK(run_achilles("demo-data --executions lots", dir).exit_code == 2);
}

TEST_CASE("an import is one transaction: killed midway it leaves the store as it was, and a rerun lands it whole",
          "[cli][import]") {
  TempDir dir;
  REQUIRE(run_achilles("demo-data --executions 150000 --seed 3", dir).exit_code == 0);
  std::filesystem::rename(dir / "stdout.txt", dir / "big.ndjson");
  const std::string import = "'" + std::string(ACHILLES_BINARY) + "' import --data-dir '" + (dir / "data").string() +
                             "' '" + (dir / "big.ndjson").string() + "' >/dev/null 2>&1";
  // Kill -9 once documents are being written (the WAL grows).
  const std::string killer = "(" + import + " & pid=$!; for i in $(seq 1 400); do sleep 0.02; "
                             "n=$(ls -s '" + (dir / "data/results.db-wal").string() + "' 2>/dev/null | cut -d' ' -f1); "
                             "[ \"${n:-0}\" -gt 2000 ] && break; done; kill -9 $pid; wait $pid) 2>/dev/null";
  std::system(killer.c_str());
  CHECK(stored(dir) == 0);
  auto rerun = run_achilles("import --data-dir '" + (dir / "data").string() + "' '" + (dir / "big.ndjson").string() + "'", dir);
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.out.starts_with("imported 150000, skipped 0, duplicates 0, "));
  CHECK(stored(dir) == 150000);
}
