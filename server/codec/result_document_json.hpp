#pragma once
#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "achilles/domain/result_document.hpp"
#include "achilles/elasticsearch/result_source.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::server {

// Decoding and encoding `_source`: achilles/elasticsearch/result_source.hpp.
using elasticsearch::decode_result_source;
using elasticsearch::encode_result_source;

// A stable id for a document that came without one: the SHA-256 of its
// serialized source, so importing the same file twice adds nothing twice.
std::string content_id(const boost::json::object& source);

// What one line of a result file is on its own. Thread-safe and stateless,
// so lines can be read in parallel; ResultLineReader then links bulk action
// lines to the documents that follow them, in order.
struct LineReading {
  enum class Kind { Blank, Action, Document, Invalid };
  Kind kind = Kind::Blank;
  std::string action_id;     // Action: the `_id` it names ("" when none)
  OnStoredId action_on_stored = OnStoredId::Replace;  // Action: `index` replaces, `create` keeps
  ResultDocument document;   // Document: `id` set from a search hit's `_id`, else empty
  std::string content_id;    // Document: the stable id from its content
  std::string reason;        // Invalid
};
LineReading read_result_line(std::string_view line);

// A document read from a file, and what storing it does to a stored
// document of the same id: a bulk `create` keeps the stored one; `index`, a
// search hit or a bare `_source` replace it, as Elasticsearch does.
struct IncomingResult {
  ResultDocument document;
  OnStoredId on_stored = OnStoredId::Replace;
};

// Reads NDJSON result files: one `_source` per line, Elasticsearch bulk files
// (an `{"index":{"_id":…}}` or `{"create":{"_id":…}}` action line gives the
// next document its id), or search hits (`{"_id":…,"_source":{…}}`). Blank
// lines are skipped.
class ResultLineReader {
public:
  struct Invalid {
    std::size_t line;
    std::string reason;
  };
  using Outcome = std::variant<std::monostate, IncomingResult, Invalid>;  // monostate: nothing yet

  // Feed lines in order, numbered from 1.
  Outcome feed(std::string_view line, std::size_t line_number) { return accept(read_result_line(line), line_number); }
  // The same, for a line already read (possibly on another thread).
  Outcome accept(LineReading reading, std::size_t line_number);
  // Call at end of input: reports an action line left without its document.
  std::optional<Invalid> finish();

private:
  std::optional<std::string> pending_id_;
  OnStoredId pending_on_stored_ = OnStoredId::Replace;
  std::size_t pending_line_ = 0;
};

}  // namespace achilles::server
