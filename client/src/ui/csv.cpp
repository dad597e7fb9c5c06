// uneplace client — CSV files (ui/csv.hpp).
#include "ui/csv.hpp"

std::string csv_field(std::string_view value) {
    std::string v(value);
    // A cell a spreadsheet would read as a formula is written as text.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(v.begin(), '\'');
    const bool quote = v.find_first_of(";\"\r\n,") != std::string::npos;
    if (!quote) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ';';
        out += csv_field(fields[i]);
    }
    out += "\r\n";
    return out;
}

std::string csv_line(std::initializer_list<std::string> fields) { return csv_line(std::vector<std::string>(fields)); }

static constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string csv_file(std::string_view content) {
    if (content.substr(0, kBom.size()) == kBom) return std::string(content);
    return std::string(kBom) + std::string(content);
}

int csv_data_lines(std::string_view content) {
    int lines = 0;
    for (char c : content) lines += c == '\n';
    // A last line without its line break still counts.
    if (!content.empty() && content.back() != '\n') ++lines;
    return lines > 0 ? lines - 1 : 0;
}
