// uneplace client — the download of a CSV file (ui/csv.hpp), apart from the pure CSV text so
// tests/client can link ui/csv.cpp without the platform layer.
#include "platform.hpp"
#include "ui/csv.hpp"

bool csv_download(const std::string& filename, std::string_view content) {
    return platform_download_file(filename, "text/csv;charset=utf-8", csv_file(content));
}
