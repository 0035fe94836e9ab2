#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "achilles/domain/result_document.hpp"

namespace achilles::server {

// Executions as RFC 4180 CSV (UTF-8, CRLF line ends), one row per document
// with the flat executions table's fields in a fixed column order: arrays
// joined with "; ", null and absent fields empty. A text cell that a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
// carriage return) is neutralised with a leading apostrophe.
std::string executions_csv_header();
std::string executions_csv_rows(const std::vector<ResultDocument>& documents);

// One cell: neutralised when it is text that looks like a formula, quoted
// when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view value, bool text);

}  // namespace achilles::server
