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

// An input is read in blocks of whole lines; each block is split and
// decoded on a worker, so the writer thread only links, binds and writes.
constexpr std::size_t kBlockBytes = 4u << 20;
constexpr std::size_t kWriteBatch = 8192;
constexpr std::size_t kMaxErrorsShown = 50;

// Documents already written: freed on a worker, not on the writer thread.
using Retired = std::vector<std::vector<ResultDocument>>;

// A block of consecutive lines of one input, read on a worker thread.
struct Chunk {
  std::size_t input = 0;
  bool end_of_input = false;
  std::future<std::vector<LineReading>> readings;
};

// Splits as std::getline does: on '\n', with no empty line after a final '\n'
// (the block holds whole lines, each ending in '\n' but perhaps the input's last).
std::vector<LineReading> read_lines(std::string block, Retired retired) {
  retired.clear();
  std::vector<LineReading> out;
  std::string_view rest(block);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    out.push_back(read_result_line(rest.substr(0, end)));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
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
    std::string carried;  // the start of a line the last block cut
    while (in) {
      std::string block = std::move(carried);
      carried.clear();
      const std::size_t kept = block.size();
      block.resize(kept + kBlockBytes);
      in.read(block.data() + kept, static_cast<std::streamsize>(kBlockBytes));
      const auto got = static_cast<std::size_t>(in.gcount());
      block.resize(kept + got);
      bytes_read_ += got;
      if (in) {  // more to come: keep the cut line for the next block
        const auto last = block.rfind('\n');
        if (last == std::string::npos) {
          carried = std::move(block);
          continue;
        }
        carried.assign(block, last + 1);
        block.resize(last + 1);
      }
      if (!block.empty()) submit(input, std::move(block));
    }
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
  void submit(std::size_t input, std::string block) {
    Chunk chunk;
    chunk.input = input;
    chunk.readings = std::async(std::launch::async, read_lines, std::move(block), std::move(retired_));
    retired_.clear();
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
      next_line_ = 1;
      return;
    }
    for (auto& reading : readings) {
      auto outcome = reader_.accept(std::move(reading), next_line_++);
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
    retired_.push_back(std::move(batch_));
    batch_ = {};
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
  std::size_t next_line_ = 1;  // of the input being drained
  std::vector<ResultDocument> batch_;
  Retired retired_;
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
