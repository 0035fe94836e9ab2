// A results file written before stored forms were kept (no `forms` and
// `event_time_text` columns) opens, reads as it always did, and takes new
// documents in the new form.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "achilles/embedded/embedded_results_index.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using namespace achilles::testing;

TEST_CASE("a results file from before stored forms opens and reads as before", "[contract][embedded]") {
  const auto dir = std::filesystem::temp_directory_path() / ("achilles-legacy-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  const auto path = dir / "results.db";
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* old_schema =
        "CREATE TABLE results (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL UNIQUE, "
        "event_time INTEGER, org_id TEXT, hostname TEXT, error_code INTEGER, test_uuid TEXT, test_name TEXT, "
        "is_protected INTEGER NOT NULL, error_name TEXT, category TEXT, subcategory TEXT, severity TEXT, "
        "techniques TEXT, tactics TEXT, target TEXT, complexity TEXT, threat_actor TEXT, tags TEXT, score REAL, "
        "bundle_id TEXT, bundle_name TEXT, control_id TEXT, control_validator TEXT, is_bundle_control INTEGER NOT NULL, "
        "defender_detected INTEGER NOT NULL, defender_stage_detected INTEGER NOT NULL, tenant_label TEXT);"
        "INSERT INTO results (doc_id, event_time, org_id, hostname, error_code, test_uuid, test_name, is_protected, "
        "category, techniques, target, is_bundle_control, defender_detected, defender_stage_detected) VALUES "
        "('old-1', 1737300000000, 'org-1', 'h1', 126, 'u1', 'Old Test', 1, 'intel-driven', 'T1' || char(31) || 'T2', "
        "'windows-endpoint', 0, 0, 0);";
    REQUIRE(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  embedded::EmbeddedResultsIndex index(path);
  std::vector<ResultDocument> fresh{ResultBuilder("new-1", 1737300000000).target({"windows-endpoint"})};
  CHECK(index.append(fresh).added == 1);
  const auto page = index.page(everything(), PageQuestion{SortField::TestName, false, 0, 10});
  REQUIRE(page.documents.size() == 2);
  const ResultDocument& old = page.documents[0];
  CHECK(old.test_name == Keywords("Old Test"));
  CHECK(old.category == Keywords("intel-driven"));
  CHECK(old.techniques == Keywords(std::vector<std::string>{"T1", "T2"}));
  CHECK(old.target == Keywords("windows-endpoint"));  // a legacy row held one string
  CHECK(old.threat_actor.form() == Keywords::Form::Absent);
  CHECK(old.is_protected == true);
  CHECK(page.documents[1].target == Keywords(std::vector<std::string>{"windows-endpoint"}));
}
