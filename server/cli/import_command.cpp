#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

#include "achilles/embedded/sqlite_results_file.hpp"
#include "cli/commands.hpp"
#include "codec/result_document_json.hpp"

namespace achilles::server {
namespace {

constexpr std::size_t kCommitBatch = 20000;  // a kill -9 loses at most the batch in flight
constexpr std::size_t kMaxErrorsShown = 50;

struct Decoded {
  std::vector<ResultDocument> documents;
  std::vector<std::string> errors;  // "file:line: reason"
};

void decode_stream(std::istream& in, const std::string& name, Decoded& out) {
  ResultLineReader reader;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    auto outcome = reader.feed(line, ++number);
    if (auto* doc = std::get_if<ResultDocument>(&outcome)) out.documents.push_back(std::move(*doc));
    else if (auto* bad = std::get_if<ResultLineReader::Invalid>(&outcome))
      out.errors.push_back(fmt::format("{}:{}: {}", name, bad->line, bad->reason));
  }
  if (auto bad = reader.finish()) out.errors.push_back(fmt::format("{}:{}: {}", name, bad->line, bad->reason));
}

void draw_progress(std::size_t done, std::size_t total) {
  const int width = 40;
  const double part = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const int filled = static_cast<int>(part * width);
  std::fprintf(stderr, "\r[%s%s] %3d%% %zu/%zu", std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(), static_cast<int>(part * 100), done,
               total);
  std::fflush(stderr);
}

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

  const auto started = std::chrono::steady_clock::now();
  // Everything is read and checked before anything is written, so a refused
  // import leaves the store exactly as it was.
  Decoded decoded;
  for (const auto& file : files) {
    if (file == "-") {
      decode_stream(std::cin, "<stdin>", decoded);
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "achilles import: cannot read " << file << "\n";
      return 1;
    }
    decode_stream(in, file, decoded);
  }

  if (!decoded.errors.empty()) {
    for (std::size_t i = 0; i < decoded.errors.size() && i < kMaxErrorsShown; ++i)
      std::cerr << decoded.errors[i] << "\n";
    if (decoded.errors.size() > kMaxErrorsShown)
      std::cerr << "... and " << decoded.errors.size() - kMaxErrorsShown << " more invalid lines\n";
    if (!skip_invalid) {
      std::cerr << "achilles import: " << decoded.errors.size()
                << " invalid line(s); nothing imported (fix them, or pass --skip-invalid to import the valid ones)\n";
      return 1;
    }
  }

  std::filesystem::create_directories(data_dir);
  embedded::SqliteResultsFile store(data_dir / "results.db");
  const bool tty = ::isatty(STDERR_FILENO);
  std::size_t imported = 0, duplicates = 0, written = 0;
  const std::span<const ResultDocument> all(decoded.documents);
  while (written < all.size()) {
    const auto batch = all.subspan(written, std::min(kCommitBatch, all.size() - written));
    const AppendOutcome outcome = store.append(batch);
    imported += outcome.added;
    duplicates += outcome.duplicates;
    written += batch.size();
    if (tty) draw_progress(written, all.size());
  }
  if (tty && !all.empty()) std::fputc('\n', stderr);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("imported {}, skipped {}, duplicates {}, {:.2f} s", imported, decoded.errors.size(),
                           duplicates, seconds)
            << std::endl;
  return 0;
}

}  // namespace achilles::server
