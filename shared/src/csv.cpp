// uneplace shared module — the CSV dialect of every export. Contracts in csv.hpp.
#include "uneplace/csv.hpp"

#include <cstdio>

#include "uneplace/local_time.hpp"

namespace uneplace {

std::string csv_cell(std::string_view value) {
    const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                                            value[0] == '\t' || value[0] == '\r');
    std::string v = formula ? "'" : "";
    v += value;
    if (v.find_first_of(";\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char ch : v) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string csv_row(std::span<const std::string> cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += kCsvSeparator;
        out += csv_cell(cells[i]);
    }
    out += kCsvLineEnd;
    return out;
}

std::string csv_row(std::initializer_list<std::string> cells) {
    return csv_row(std::span<const std::string>(cells.begin(), cells.size()));
}

std::string csv_datetime(std::string_view departement, UnixSeconds utc) {
    const CivilDateTime c = to_local(departement, utc);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.minute);
    return buf;
}

}  // namespace uneplace
