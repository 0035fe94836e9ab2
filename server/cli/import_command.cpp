#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include "achilles/embedded/sqlite_results_file.hpp"
#include "cli/commands.hpp"
#include "codec/result_document_json.hpp"

namespace achilles::server {
namespace {

constexpr std::size_t kLinesPerChunk = 4096;
constexpr std::size_t kWriteBatch = 8192;
constexpr std::size_t kMaxErrorsShown = 50;

// A run of consecutive lines of one input, read on a worker thread.
struct Chunk {
  std::size_t input = 0;
  std::size_t first_line = 1;
  bool end_of_input = false;
  std::future<std::vector<LineReading>> readings;
};

std::vector<LineReading> read_lines(std::vector<std::string> lines) {
  std::vector<LineReading> out;
  out.reserve(lines.size());
  for (const auto& line : lines) out.push_back(read_result_line(line));
  return out;
}

// Reads inputs in parallel, then links, checks and writes in input order.
// The import is one transaction: it lands whole at the end, or not at all
// (refused, failed or killed), so a rerun always starts from a clean slate.
class Import {
public:
  Import(embedded::SqliteResultsFile& store, bool skip_invalid, std::vector<std::string> names)
      : store_(store), skip_invalid_(skip_invalid), names_(std::move(names)) {
    in_flight_ = std::max(2u, std::thread::hardware_concurrency());
  }

  void read_input(std::istream& in, std::size_t input, std::uint64_t size_hint) {
    total_bytes_ += size_hint;
    std::vector<std::string> lines;
    std::size_t first_line = 1, number = 0;
    std::string line;
    while (std::getline(in, line)) {
      ++number;
      bytes_read_ += line.size() + 1;
      lines.push_back(std::move(line));
      if (lines.size() == kLinesPerChunk) {
        submit(input, first_line, std::move(lines));
        lines = {};
        first_line = number + 1;
      }
    }
    if (!lines.empty()) submit(input, first_line, std::move(lines));
    Chunk end;
    end.input = input;
    end.end_of_input = true;
    std::promise<std::vector<LineReading>> none;
    none.set_value({});
    end.readings = none.get_future();
    queue(std::move(end));
  }

  // Drains the pipeline; returns true when the import was committed.
  bool finish() {
    while (!pending_.empty()) drain_one();
    if (refused()) {
      store_.rollback();
      return false;
    }
    write(true);
    store_.commit();
    return true;
  }

  bool refused() const { return error_count_ > 0 && !skip_invalid_; }
  std::size_t imported() const { return imported_; }
  std::size_t replaced() const { return replaced_; }
  std::size_t duplicates() const { return duplicates_; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<std::string>& errors() const { return errors_; }

private:
  void submit(std::size_t input, std::size_t first_line, std::vector<std::string> lines) {
    Chunk chunk;
    chunk.input = input;
    chunk.first_line = first_line;
    chunk.readings = std::async(std::launch::async, read_lines, std::move(lines));
    queue(std::move(chunk));
  }

  void queue(Chunk chunk) {
    pending_.push_back(std::move(chunk));
    while (pending_.size() > in_flight_) drain_one();
  }

  void drain_one() {
    Chunk chunk = std::move(pending_.front());
    pending_.pop_front();
    auto readings = chunk.readings.get();
    auto report = [&](const ResultLineReader::Invalid& bad) {
      ++error_count_;
      if (errors_.size() < kMaxErrorsShown) errors_.push_back(fmt::format("{}:{}: {}", names_[chunk.input], bad.line, bad.reason));
    };
    if (chunk.end_of_input) {
      if (auto bad = reader_.finish()) report(*bad);
      reader_ = ResultLineReader();
      return;
    }
    for (std::size_t i = 0; i < readings.size(); ++i) {
      auto outcome = reader_.accept(std::move(readings[i]), chunk.first_line + i);
      if (auto* in = std::get_if<IncomingResult>(&outcome)) {
        // A batch is written with one OnStoredId: a change of action starts a new one.
        if (!batch_.empty() && in->on_stored != batch_on_stored_) write(true);
        batch_on_stored_ = in->on_stored;
        batch_.push_back(std::move(in->document));
      }
      else if (auto* bad = std::get_if<ResultLineReader::Invalid>(&outcome))
        report(*bad);
    }
    write(false);
    progress();
  }

  void write(bool all) {
    if (refused()) {  // nothing will be kept: stop writing, keep checking
      batch_.clear();
      return;
    }
    if (batch_.empty() || (!all && batch_.size() < kWriteBatch)) return;
    if (!begun_) {
      store_.begin();
      begun_ = true;
    }
    const AppendOutcome outcome = store_.add(batch_, batch_on_stored_);
    imported_ += outcome.added;
    replaced_ += outcome.replaced;
    duplicates_ += outcome.duplicates;
    written_ += batch_.size();
    batch_.clear();
  }

  void progress() {
    if (!tty_) return;
    const double part = total_bytes_ ? std::min(1.0, static_cast<double>(bytes_read_) / static_cast<double>(total_bytes_)) : 0;
    const int width = 40, filled = static_cast<int>(part * width);
    std::fprintf(stderr, "\r[%s%s] %3d%% %zu documents", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), static_cast<int>(part * 100), written_);
    std::fflush(stderr);
  }

public:
  void begin_if_needed() {
    if (!begun_) {
      store_.begin();
      begun_ = true;
    }
  }
  bool tty_ = ::isatty(STDERR_FILENO);

private:
  embedded::SqliteResultsFile& store_;
  bool skip_invalid_;
  std::vector<std::string> names_;
  std::size_t in_flight_;
  std::deque<Chunk> pending_;
  ResultLineReader reader_;
  std::vector<ResultDocument> batch_;
  OnStoredId batch_on_stored_ = OnStoredId::Replace;
  bool begun_ = false;
  std::size_t imported_ = 0, replaced_ = 0, duplicates_ = 0, written_ = 0, error_count_ = 0;
  std::vector<std::string> errors_;
  std::uint64_t total_bytes_ = 0, bytes_read_ = 0;
};

}  // namespace

int import_command(const std::vector<std::string>& args) {
  std::filesystem::path data_dir = "./data";
  bool skip_invalid = false;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--data-dir") {
      if (i + 1 >= args.size()) throw UsageError{"--data-dir needs a value"};
      data_dir = args[++i];
    } else if (args[i] == "--skip-invalid") {
      skip_invalid = true;
    } else if (args[i].starts_with("--")) {
      throw UsageError{"unknown option for import: " + args[i]};
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty()) throw UsageError{"import needs at least one FILE (or - for stdin)"};
  for (const auto& file : files)
    if (file != "-" && !std::ifstream(file)) {
      std::cerr << "achilles import: cannot read " << file << "\n";
      return 1;
    }

  const auto started = std::chrono::steady_clock::now();
  std::filesystem::create_directories(data_dir);
  // A data dir made before umask 077 was set (or by hand) is closed too.
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  embedded::SqliteResultsFile store(data_dir / "results.db");
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f == "-" ? "<stdin>" : f);
  Import import(store, skip_invalid, names);
  import.begin_if_needed();
  try {
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i] == "-") {
        import.read_input(std::cin, i, 0);
      } else {
        std::ifstream in(files[i], std::ios::binary);
        std::error_code ec;
        const auto size = std::filesystem::file_size(files[i], ec);
        import.read_input(in, i, ec ? 0 : size);
      }
    }
  } catch (...) {
    store.rollback();
    throw;
  }
  const bool committed = import.finish();
  if (import.tty_) std::fputc('\n', stderr);

  for (const auto& e : import.errors()) std::cerr << e << "\n";
  if (import.error_count() > import.errors().size())
    std::cerr << "... and " << import.error_count() - import.errors().size() << " more invalid lines\n";
  if (!committed) {
    std::cerr << "achilles import: " << import.error_count()
              << " invalid line(s); nothing imported (fix them, or pass --skip-invalid to import the valid ones)\n";
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("imported {}, skipped {}, duplicates {}, replaced {}, {:.2f} s", import.imported(),
                           import.error_count(), import.duplicates(), import.replaced(), seconds)
            << std::endl;
  return 0;
}

}  // namespace achilles::server
