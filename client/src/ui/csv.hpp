// uneplace client — CSV files for French spreadsheets, and their download. One dialect, the
// server's (shared/API.md): fields joined by ';', CRLF, RFC 4180 quoting, UTF-8 with a byte order
// mark, French headers. The text functions are pure (tested natively in tests/client).
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

// RFC 4180 field: quoted when it holds the separator, a quote or a line break; formulas are
// neutralised (a leading = + - @ gets a quote) so a spreadsheet never runs a cell.
std::string csv_field(std::string_view value);
// One line of fields joined by ';', ending in CRLF.
std::string csv_line(std::initializer_list<std::string> fields);
std::string csv_line(const std::vector<std::string>& fields);
// The whole file: the byte order mark (so spreadsheets read accents as UTF-8) unless `content`
// already starts with one, then the content.
std::string csv_file(std::string_view content);
// Number of data lines (the header excluded) of a CSV text.
int csv_data_lines(std::string_view content);

// Saves a CSV file through the browser's download (platform_download_file): a real file named
// `filename`, never the clipboard. Returns false only when the browser refused to start it.
bool csv_download(const std::string& filename, std::string_view content);
