// uneplace shared module — the one CSV dialect of every export (guest list, bookings, figures), the
// one French spreadsheets open without an import dialog: UTF-8 with a byte-order mark, `;` between
// cells (`,` is the French decimal separator), CRLF line ends, RFC 4180 quoting, French headers and
// values, dates as "05/12/2026 20:30" in the venue's time.
//
// Index of this file:
// [SECTION] Dialect
// [SECTION] Cells and rows
#pragma once
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "uneplace/domain.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Dialect
//-----------------------------------------------------------------------------

inline constexpr std::string_view kCsvBom = "\xEF\xBB\xBF";  // first bytes of every export
inline constexpr char kCsvSeparator = ';';
inline constexpr std::string_view kCsvLineEnd = "\r\n";
inline constexpr std::string_view kCsvMime = "text/csv; charset=utf-8";

//-----------------------------------------------------------------------------
// [SECTION] Cells and rows
//-----------------------------------------------------------------------------

// One cell: quoted when it holds `;`, `"`, CR or LF ("" doubles a quote); a leading = + - @ tab or
// CR gets an apostrophe first, so a spreadsheet never runs a cell as a formula (CSV injection).
std::string csv_cell(std::string_view value);

// Cells joined by `;`, ended by CRLF.
std::string csv_row(std::span<const std::string> cells);
std::string csv_row(std::initializer_list<std::string> cells);

// "05/12/2026 20:30": the venue's wall-clock time, in the form French spreadsheets read as a date.
std::string csv_datetime(std::string_view departement, UnixSeconds utc);

}  // namespace uneplace
